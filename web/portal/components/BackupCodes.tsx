// Creates 10 printable backup codes (each works once); a new set replaces the old one.
import { useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { post } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

export function BackupCodes({
  existing,
  handle,
  onBack,
}: {
  existing: number;
  handle: Handle;
  onBack: () => void;
}) {
  const heading = useHeadingFocus();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setError(null);
    try {
      setCodes((await post<{ codes: string[] }>('/enroll/backup-codes')).codes);
    } catch (caught) {
      setError(handle(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="backup-heading">
      <h1 id="backup-heading" ref={heading} tabIndex={-1}>
        Backup codes
      </h1>
      {codes ? (
        <>
          <p role="status">
            Print these codes or write them down, and keep them somewhere safe. Each code works once. They are
            shown only now.
          </p>
          <ol className="codes">
            {codes.map((code) => (
              <li key={code}>
                <code>{`${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`}</code>
              </li>
            ))}
          </ol>
          <div className="actions no-print">
            <button type="button" className="secondary" onClick={() => window.print()}>
              Print
            </button>
            <button type="button" className="primary" onClick={onBack}>
              I have saved them
            </button>
          </div>
        </>
      ) : (
        <>
          <p>Backup codes let you sign in when you do not have your phone or key with you.</p>
          {existing > 0 && (
            <p>You have {existing} unused codes. Creating new codes makes the old ones stop working.</p>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={create}>
              Create 10 backup codes
            </button>
            <button type="button" className="secondary" onClick={onBack}>
              Cancel
            </button>
          </div>
        </>
      )}
      <ErrorText message={error} />
    </section>
  );
}
