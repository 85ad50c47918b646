// Issues bypass codes for a user: shown once, printable; the help desk within its limits.
import { type FormEvent, useState } from 'react';
import { admin, type ConsoleMe, messageOf } from '../api.ts';
import type { DuoUser } from '../duo-types.ts';
import { ErrorText } from './common.tsx';

export function BypassCodes({ me, user }: { me: ConsoleMe; user: DuoUser }) {
  const limited = me.role === 'help-desk';
  const maxCodes = limited ? me.limits.codes : 10;
  const maxUses = limited ? me.limits.uses : 10;
  const maxHours = limited ? me.limits.validSecs / 3600 : 720;
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    setCodes(null);
    try {
      const { response } = await admin<string[]>(
        'POST',
        `/v1/users/${encodeURIComponent(user.user_id)}/bypass_codes`,
        {
          count: String(data.get('count')),
          reuse_count: String(data.get('uses')),
          valid_secs: String(Math.round(Number(data.get('hours')) * 3600)),
        },
      );
      setCodes(response);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="bypass-heading">
      <h2 id="bypass-heading">Bypass codes</h2>
      <p className="hint">
        For a user without their phone. New codes replace the ones issued before.
        {limited &&
          ` The help desk may issue at most ${maxCodes} code(s), ${maxUses} use(s) each, valid ${maxHours} hour(s).`}
      </p>
      <form onSubmit={submit} className="inline-fields">
        <div className="field">
          <label htmlFor="bypass-count">Codes</label>
          <input
            id="bypass-count"
            name="count"
            type="number"
            min={1}
            max={maxCodes}
            defaultValue={1}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="bypass-uses">Uses of each</label>
          <input id="bypass-uses" name="uses" type="number" min={1} max={maxUses} defaultValue={1} required />
        </div>
        <div className="field">
          <label htmlFor="bypass-hours">Valid for (hours)</label>
          <input
            id="bypass-hours"
            name="hours"
            type="number"
            min={0.25}
            step={0.25}
            max={maxHours}
            defaultValue={1}
            required
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Issue codes
          </button>
        </div>
      </form>
      <ErrorText message={error} />
      {codes && (
        <div className="once printable" aria-live="polite">
          <h3>Codes for {user.username}</h3>
          <p>Shown only now. Read them to the user or print them; they cannot be shown again.</p>
          <ul className="codes">
            {codes.map((code) => (
              <li key={code} className="code">
                {code}
              </li>
            ))}
          </ul>
          <div className="actions no-print">
            <button type="button" className="secondary" onClick={() => window.print()}>
              Print
            </button>
            <button type="button" className="secondary" onClick={() => setCodes(null)}>
              Hide the codes
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
