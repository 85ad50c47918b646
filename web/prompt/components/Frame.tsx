// The prompt's frame: organization banner, the step, and a footer with help and a way back to the application.
import { type ReactNode, useEffect } from 'react';
import { SiteHeader } from '../../shared/SiteHeader.tsx';
import { pageTitle, useBranding } from '../../shared/use-branding.ts';
import type { FlowView } from '../api.ts';

interface FrameProps {
  organization: string | null;
  view?: FlowView;
  onCancel?: (() => void) | undefined;
  children: ReactNode;
}

export function Frame({ organization, view, onCancel, children }: FrameProps) {
  const branding = useBranding('/branding');
  const name = organization ?? branding?.organization ?? null;
  useEffect(() => {
    document.title = pageTitle('Sign in', name);
  }, [name]);
  return (
    <>
      <SiteHeader branding={branding} fallback={organization ?? 'Countersign'} />
      <main className="prompt">
        <div className="card">{children}</div>
        {view && (
          <footer className="prompt-footer">
            {view.helpUrl ? (
              <a href={view.helpUrl} target="_blank" rel="noreferrer">
                Need help? Contact {view.organization} support
              </a>
            ) : (
              <p className="hint">Need help? Contact your {view.organization} help desk.</p>
            )}
            {onCancel && (
              <button type="button" className="link-button" onClick={onCancel}>
                Cancel and return to {view.application}
              </button>
            )}
          </footer>
        )}
      </main>
    </>
  );
}
