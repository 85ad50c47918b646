// The header every page shares: the organization's logo and name (the same markup as the server-rendered pages').
import type { ReactNode } from 'react';
import type { Branding } from './use-branding.ts';

/** The page's header; `children` go at its far end (a page's own control, e.g. "Sign out"). */
export function SiteHeader({
  branding,
  fallback,
  children,
}: {
  branding: Branding | null;
  /** The name shown until the branding has loaded (or when it cannot be read). */
  fallback: string;
  children?: ReactNode;
}) {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        {/* Decorative: the name beside it says the same. */}
        {branding?.logo && <img className="site-logo" src={branding.logo} alt="" />}
        <p className="site-name">{branding?.organization ?? fallback}</p>
        {children && <div className="site-header-end">{children}</div>}
      </div>
    </header>
  );
}
