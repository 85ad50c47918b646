// The organization's name and logo for a page's header and tab title, read once from the server's /branding.
import { useEffect, useState } from 'react';

export interface Branding {
  organization: string;
  /** The logo's address, or null when none is configured. */
  logo: string | null;
}

/**
 * Fetches `url` (the server's /branding) once; null until it answers. Offline or refused, the page keeps its
 * own wording: the header is never worth an error message.
 */
export function useBranding(url: string): Branding | null {
  const [branding, setBranding] = useState<Branding | null>(null);
  useEffect(() => {
    let alive = true;
    fetch(url, { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<Branding>) : null))
      .then((body) => {
        if (alive && body && typeof body.organization === 'string') {
          // The logo address is relative to the server's root, like the url asked.
          const logo =
            typeof body.logo === 'string' ? new URL(body.logo, new URL(url, location.href)).href : null;
          setBranding({ organization: body.organization, logo });
        }
      })
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [url]);
  return branding;
}

/** A tab title: what the page is, then whose it is ("Sign in — Example University"). */
export function pageTitle(title: string, organization: string | null | undefined): string {
  return organization && organization !== title ? `${title} — ${organization}` : title;
}
