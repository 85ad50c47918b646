// The user's recent sign-ins, newest first, so anything unexpected stands out.
import { useEffect, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { get, type SignInView } from '../api.ts';
import { when } from '../labels.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

export function SignIns({ handle, onBack }: { handle: Handle; onBack: () => void }) {
  const heading = useHeadingFocus();
  const [rows, setRows] = useState<SignInView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ signIns: SignInView[] }>('/sign-ins')
      .then((r) => setRows(r.signIns))
      .catch((caught) => setError(handle(caught)));
  }, [handle]);

  return (
    <section className="card" aria-labelledby="activity-heading">
      <h1 id="activity-heading" ref={heading} tabIndex={-1}>
        Recent sign-ins
      </h1>
      {rows && rows.length === 0 && <p>No sign-ins yet.</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Your recent sign-ins, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Application</th>
                <th scope="col">Result</th>
                <th scope="col">Method</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.at}-${row.reason}-${row.ip}`}>
                  <td>{when(row.at)}</td>
                  <td>{row.application ?? '—'}</td>
                  <td>{`${row.result === 'success' ? 'Allowed' : 'Refused'}: ${row.outcome}`}</td>
                  <td>{row.factor ?? '—'}</td>
                  <td>{row.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>If you see a sign-in you do not recognise, change your password and contact your help desk.</p>
      <ErrorText message={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack}>
          Back
        </button>
      </div>
    </section>
  );
}
