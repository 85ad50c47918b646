// Rollout: for each application and its enforcement date, how many of its users are enrolled, who is not, and a
// bulk enrollment reminder (the implementation schedule as a screen).
import { useCallback, useEffect, useState } from 'react';
import { admin, type ConsoleMe, type Metadata, messageOf } from '../api.ts';
import { may } from '../screens.ts';
import { ErrorText, Notice, useHeadingFocus } from './common.tsx';
import { Pager } from './Users.tsx';

interface RolloutRow {
  integration_key: string;
  name: string;
  enforcement_date: string | null;
  users_total: number;
  users_enrolled: number;
}

interface Person {
  user_id: string;
  username: string;
  realname: string;
  email: string;
}

interface Reminded {
  sent: number;
  without_email: number;
  failed: number;
  next_offset: number | null;
}

/** Users reminded per request. */
const REMINDER_BATCH = 200;

/** Days from today to `date` (negative once it has passed). */
function daysUntil(date: string): number {
  const today = new Date();
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000);
}

function dateWords(date: string | null): string {
  if (date === null) return 'No enforcement date';
  const days = daysUntil(date);
  if (days > 0) return `Required from ${date} (in ${days} day${days === 1 ? '' : 's'})`;
  if (days === 0) return `Required from today (${date})`;
  return `Required since ${date}`;
}

export function Rollout({ me }: { me: ConsoleMe }) {
  const heading = useHeadingFocus();
  const [rows, setRows] = useState<RolloutRow[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    admin<RolloutRow[]>('GET', '/v1/countersign/rollout')
      .then(({ response }) => setRows(response))
      .catch((caught) => setError(messageOf(caught)));
  }, []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Rollout
      </h1>
      <p className="hint">
        How far each application's users have come before sign-in methods become required.
      </p>
      <ErrorText message={error} />
      {rows?.length === 0 && <p>No applications yet.</p>}
      {rows?.map((row) => {
        const share = row.users_total > 0 ? Math.round((100 * row.users_enrolled) / row.users_total) : 100;
        return (
          <section
            className="card"
            key={row.integration_key}
            aria-labelledby={`rollout-${row.integration_key}`}
          >
            <h2 id={`rollout-${row.integration_key}`}>{row.name}</h2>
            <p>{dateWords(row.enforcement_date)}</p>
            <label htmlFor={`progress-${row.integration_key}`}>
              {row.users_enrolled.toLocaleString()} of {row.users_total.toLocaleString()} users enrolled (
              {share}%)
            </label>
            <progress
              id={`progress-${row.integration_key}`}
              max={row.users_total || 1}
              value={row.users_enrolled}
            />
            {row.users_enrolled < row.users_total && (
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  aria-expanded={open === row.integration_key}
                  onClick={() => setOpen(open === row.integration_key ? null : row.integration_key)}
                >
                  {open === row.integration_key ? 'Hide who is not enrolled' : 'Who is not enrolled?'}
                </button>
              </div>
            )}
            {open === row.integration_key && (
              <NotEnrolled ikey={row.integration_key} canRemind={may(me, 'write-resource')} />
            )}
          </section>
        );
      })}
    </>
  );
}

function NotEnrolled({ ikey, canRemind }: { ikey: string; canRemind: boolean }) {
  const [offset, setOffset] = useState(0);
  const [people, setPeople] = useState<Person[] | null>(null);
  const [metadata, setMetadata] = useState<Metadata>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const base = `/v1/countersign/rollout/${encodeURIComponent(ikey)}`;
  const load = useCallback(() => {
    admin<Person[]>('GET', `${base}/not_enrolled`, { limit: 50, offset })
      .then(({ response, metadata }) => {
        setPeople(response);
        setMetadata(metadata);
      })
      .catch((caught) => setError(messageOf(caught)));
  }, [base, offset]);
  useEffect(load, [load]);
  const [sending, setSending] = useState(false);
  /** Sends the reminders a batch at a time (the server's next_offset), so a large rollout never times out. */
  async function remind() {
    setError(null);
    setNotice(null);
    setSending(true);
    const total = { sent: 0, without_email: 0, failed: 0 };
    try {
      let next: number | null = 0;
      while (next !== null) {
        const { response }: { response: Reminded } = await admin<Reminded>('POST', `${base}/reminders`, {
          limit: REMINDER_BATCH,
          offset: next,
        });
        total.sent += response.sent;
        total.without_email += response.without_email;
        total.failed += response.failed;
        next = response.next_offset;
      }
    } catch (caught) {
      setError(messageOf(caught));
    }
    setSending(false);
    setNotice(
      `Sent ${total.sent} reminder(s).` +
        (total.without_email > 0 ? ` ${total.without_email} user(s) have no e-mail address.` : '') +
        (total.failed > 0 ? ` ${total.failed} could not be delivered; try again later.` : ''),
    );
  }
  return (
    <div>
      <ErrorText message={error} />
      <Notice message={notice} />
      {people && (
        <table className="data">
          <caption className="visually-hidden">Users not enrolled yet</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.user_id}>
                <td>
                  <a href={`#/users/${encodeURIComponent(person.user_id)}`}>{person.username}</a>
                </td>
                <td>{person.realname || '—'}</td>
                <td>{person.email || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} metadata={metadata} onMove={setOffset} />
      {canRemind && (
        <div className="actions">
          <button type="button" className="primary" onClick={remind} disabled={sending}>
            Send an enrollment reminder to all of them
          </button>
        </div>
      )}
    </div>
  );
}
