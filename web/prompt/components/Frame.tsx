// The prompt's frame: organization banner, the step, and a footer with help and a way back to the application.
import type { ReactNode } from 'react';
import type { FlowView } from '../api.ts';

interface FrameProps {
  organization: string | null;
  view?: FlowView;
  onCancel?: (() => void) | undefined;
  children: ReactNode;
}

export function Frame({ organization, view, onCancel, children }: FrameProps) {
  return (
    <>
      <header className="banner">
        <p className="organization">{organization ?? 'Countersign'}</p>
      </header>
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
