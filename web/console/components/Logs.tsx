// Logs: authentication (filters, pages, CSV export, where each sign-in came from), administrator, telephony, and
// fraud reports with their status.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { GeoAttribution } from '../../shared/GeoAttribution.tsx';
import { admin, messageOf } from '../api.ts';
import { download, toCsv } from '../csv.ts';
import { type DuoAuthLog, type DuoUser, placeOf } from '../duo-types.ts';
import { ErrorText, Notice, useHeadingFocus, when } from './common.tsx';

type Tab = 'authentication' | 'administrator' | 'telephony' | 'fraud';
const TABS: Array<[Tab, string]> = [
  ['authentication', 'Sign-ins'],
  ['administrator', 'Administrator actions'],
  ['telephony', 'Text messages and calls'],
  ['fraud', 'Fraud reports'],
];

/** Rows per page, and the most rows an export gathers (10 pages): said on the page. */
const PAGE = 100;
export const EXPORT_CAP = 10_000;

export function Logs() {
  const heading = useHeadingFocus();
  const [tab, setTab] = useState<Tab>('authentication');
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Logs
      </h1>
      <fieldset className="tabs">
        <legend className="visually-hidden">Which log</legend>
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            className={tab === id ? 'primary' : 'secondary'}
            aria-pressed={tab === id}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </fieldset>
      {tab === 'authentication' && <AuthenticationLog />}
      {tab === 'administrator' && <SimpleLog kind="administrator" />}
      {tab === 'telephony' && <SimpleLog kind="telephony" />}
      {tab === 'fraud' && <FraudReports />}
    </>
  );
}

interface Filters {
  users?: string[];
  applications?: string[];
  results?: string[];
  factors?: string[];
  mintime: number;
  maxtime: number;
}

const HEADER = ['time', 'username', 'application', 'result', 'reason', 'factor', 'ip', 'location'];
const rowOf = (entry: DuoAuthLog) => [
  new Date(entry.timestamp * 1000).toISOString(),
  entry.user.name,
  entry.application?.name ?? '',
  entry.result,
  entry.reason,
  entry.factor,
  entry.access_device.ip ?? '',
  placeOf(entry) === '—' ? '' : placeOf(entry),
];

/** `datetime-local` text to Unix ms, or `fallback`. */
const msOf = (text: FormDataEntryValue | null, fallback: number) =>
  typeof text === 'string' && text !== '' ? new Date(text).getTime() : fallback;

function AuthenticationLog() {
  const [filters, setFilters] = useState<Filters | null>(null);
  const [pages, setPages] = useState<Array<[string, string] | null>>([null]);
  const [entries, setEntries] = useState<DuoAuthLog[]>([]);
  const [next, setNext] = useState<[string, string] | null>(null);
  const [total, setTotal] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (applied: Filters, cursor: [string, string] | null, limit = PAGE) =>
      (
        await admin<{
          authlogs: DuoAuthLog[];
          metadata: {
            next_offset: [string, string] | null;
            total_objects: number;
            total_objects_relation: string;
          };
        }>('GET', '/v2/logs/authentication', {
          ...applied,
          limit,
          ...(cursor && { next_offset: cursor.join(',') }),
        })
      ).response,
    [],
  );

  useEffect(() => {
    if (filters === null) return;
    const cursor = pages.at(-1) ?? null;
    let current = true;
    fetchPage(filters, cursor)
      .then((page) => {
        if (!current) return;
        setEntries(page.authlogs);
        setNext(page.metadata.next_offset);
        setTotal(
          `${page.metadata.total_objects_relation === 'gte' ? 'More than ' : ''}${page.metadata.total_objects.toLocaleString()} sign-in(s).`,
        );
        setError(null);
      })
      .catch((caught) => current && setError(messageOf(caught)));
    return () => {
      current = false;
    };
  }, [filters, pages, fetchPage]);

  useEffect(() => {
    const now = Date.now();
    setFilters({ mintime: now - 7 * 86_400_000, maxtime: now });
  }, []);

  async function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    const now = Date.now();
    const applied: Filters = {
      mintime: msOf(data.get('from'), now - 7 * 86_400_000),
      maxtime: msOf(data.get('to'), now),
    };
    const username = String(data.get('username') ?? '').trim();
    if (username !== '') {
      try {
        const found = await admin<DuoUser[]>('GET', '/v1/users', { username });
        if (found.response.length === 0) return setError(`There is no user named ${username}.`);
        applied.users = [found.response[0]!.user_id];
      } catch (caught) {
        return setError(messageOf(caught));
      }
    }
    const application = String(data.get('application') ?? '').trim();
    if (application !== '') applied.applications = [application];
    const result = String(data.get('result') ?? '');
    if (result !== '') applied.results = [result];
    const factor = String(data.get('factor') ?? '');
    if (factor !== '') applied.factors = [factor];
    setPages([null]);
    setFilters(applied);
  }

  async function exportCsv() {
    if (filters === null) return;
    setError(null);
    setNotice('Preparing the export…');
    const rows: unknown[][] = [];
    let cursor: [string, string] | null = null;
    try {
      do {
        const page = await fetchPage(filters, cursor, 1000);
        rows.push(...page.authlogs.map(rowOf));
        cursor = page.metadata.next_offset;
      } while (cursor !== null && rows.length < EXPORT_CAP);
    } catch (caught) {
      setNotice(null);
      return setError(messageOf(caught));
    }
    download('sign-ins.csv', toCsv(HEADER, rows.slice(0, EXPORT_CAP)));
    setNotice(
      cursor !== null
        ? `Exported the first ${EXPORT_CAP.toLocaleString()} sign-ins; narrow the filters for the rest.`
        : `Exported ${rows.length.toLocaleString()} sign-in(s).`,
    );
  }

  return (
    <section aria-labelledby="auth-log-heading">
      <h2 id="auth-log-heading">Sign-ins</h2>
      <form className="filters" onSubmit={apply} aria-label="Filter sign-ins">
        <div className="field">
          <label htmlFor="f-user">User</label>
          <input id="f-user" name="username" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="f-app">Application (integration key)</label>
          <input id="f-app" name="application" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="f-result">Result</label>
          <select id="f-result" name="result" defaultValue="">
            <option value="">Any</option>
            <option value="success">Allowed</option>
            <option value="denied">Denied</option>
            <option value="fraud">Reported as fraud</option>
            <option value="error">Error</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-factor">Method</label>
          <select id="f-factor" name="factor" defaultValue="">
            <option value="">Any</option>
            <option value="duo_push">Push</option>
            <option value="passcode">Passcode</option>
            <option value="webauthn_security_key">Security key</option>
            <option value="remembered_device">Remembered browser</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">From</label>
          <input id="f-from" name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor="f-to">To</label>
          <input id="f-to" name="to" type="datetime-local" />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Show
          </button>
          <button type="button" className="secondary" onClick={exportCsv}>
            Export CSV (up to {EXPORT_CAP.toLocaleString()} rows)
          </button>
        </div>
      </form>
      <ErrorText message={error} />
      <Notice message={notice} />
      <p role="status">{total}</p>
      {entries.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Sign-ins, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">User</th>
              <th scope="col">Application</th>
              <th scope="col">Result</th>
              <th scope="col">Method</th>
              <th scope="col">IP address</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.txid}>
                <td>{when(entry.timestamp)}</td>
                <td>{entry.user.name}</td>
                <td>{entry.application?.name ?? '—'}</td>
                <td>{entry.result}</td>
                <td>{entry.factor}</td>
                <td>{entry.access_device.ip ?? '—'}</td>
                <td>{placeOf(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.some((entry) => placeOf(entry) !== '—') && <GeoAttribution />}
      <div className="actions pager">
        <button
          type="button"
          className="secondary"
          disabled={pages.length <= 1}
          onClick={() => setPages((list) => list.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          className="secondary"
          disabled={next === null}
          onClick={() => setPages((list) => [...list, next])}
        >
          Older
        </button>
      </div>
    </section>
  );
}

interface SimpleEntry {
  timestamp: number;
  action?: string;
  username?: string;
  object?: string | null;
  description?: string;
  type?: string;
  phone?: string;
  context?: string;
  credits?: number;
}

function SimpleLog({ kind }: { kind: 'administrator' | 'telephony' }) {
  const [entries, setEntries] = useState<SimpleEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const mintime = Math.floor(Date.now() / 1000) - 30 * 86_400;
    admin<SimpleEntry[]>('GET', `/v1/logs/${kind}`, { mintime })
      .then(({ response }) => setEntries([...response].reverse()))
      .catch((caught) => setError(messageOf(caught)));
  }, [kind]);
  const title = kind === 'administrator' ? 'Administrator actions' : 'Text messages and calls';
  return (
    <section aria-labelledby="simple-log-heading">
      <h2 id="simple-log-heading">{title} in the last 30 days</h2>
      <ErrorText message={error} />
      {entries !== null && entries.length === 0 && <p>Nothing in the last 30 days.</p>}
      {entries !== null && entries.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">{title}, newest first</caption>
          <thead>
            {kind === 'administrator' ? (
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            ) : (
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Phone</th>
                <th scope="col">For</th>
                <th scope="col">Credits</th>
              </tr>
            )}
          </thead>
          <tbody>
            {entries.map((entry, index) =>
              kind === 'administrator' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: log entries carry no id; the list is replaced whole.
                <tr key={`${entry.timestamp}-${index}`}>
                  <td>{when(entry.timestamp)}</td>
                  <td>{entry.username}</td>
                  <td>{entry.action}</td>
                  <td>{entry.object ?? '—'}</td>
                  <td className="detail">{entry.description}</td>
                </tr>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: log entries carry no id; the list is replaced whole.
                <tr key={`${entry.timestamp}-${index}`}>
                  <td>{when(entry.timestamp)}</td>
                  <td>{entry.type === 'sms' ? 'Text message' : 'Call'}</td>
                  <td>{entry.phone}</td>
                  <td>{entry.context}</td>
                  <td>{entry.credits}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface FraudReport {
  id?: string;
  timestamp: number;
  username: string;
  application: string | null;
  ip: string | null;
  status?: 'open' | 'reviewed' | 'dismissed';
}

const FRAUD_WORDS = { open: 'Awaiting review', reviewed: 'Reviewed', dismissed: 'Dismissed' } as const;

function FraudReports() {
  const [reports, setReports] = useState<FraudReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    admin<FraudReport[]>('GET', '/v1/countersign/fraud_reports', { limit: 100 })
      .then(({ response }) => setReports([...response].reverse()))
      .catch((caught) => setError(messageOf(caught)));
  }, []);
  useEffect(load, [load]);
  async function mark(report: FraudReport, status: 'reviewed' | 'dismissed') {
    try {
      await admin('POST', `/v1/countersign/fraud_reports/${encodeURIComponent(report.id ?? '')}`, { status });
      load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <section aria-labelledby="fraud-heading">
      <h2 id="fraud-heading">Fraud reports</h2>
      <p className="hint">Pushes that users said they did not start.</p>
      <ErrorText message={error} />
      {reports !== null && reports.length === 0 && <p>No fraud reports.</p>}
      {reports !== null && reports.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Fraud reports, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">User</th>
              <th scope="col">Application</th>
              <th scope="col">IP address</th>
              <th scope="col">Status</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report, index) => (
              <tr key={report.id ?? index}>
                <td>{when(report.timestamp)}</td>
                <td>{report.username}</td>
                <td>{report.application ?? '—'}</td>
                <td>{report.ip ?? '—'}</td>
                <td>{report.status ? FRAUD_WORDS[report.status] : 'Awaiting review'}</td>
                <td>
                  {report.id !== undefined && report.status === 'open' && (
                    <span className="row-actions">
                      <button type="button" className="secondary" onClick={() => mark(report, 'reviewed')}>
                        Mark reviewed
                      </button>
                      <button type="button" className="secondary" onClick={() => mark(report, 'dismissed')}>
                        Dismiss
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
