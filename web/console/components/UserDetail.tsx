// One user: who they are, their sign-in methods, recent sign-ins, and what the administrator's role may do.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { GeoAttribution } from '../../shared/GeoAttribution.tsx';
import { admin, type ConsoleMe, messageOf } from '../api.ts';
import { type DuoAuthLog, type DuoToken, type DuoUser, placeOf, STATUS_WORDS } from '../duo-types.ts';
import { may } from '../screens.ts';
import { BypassCodes } from './BypassCodes.tsx';
import { ErrorText, Notice, useHeadingFocus, when } from './common.tsx';

const DAY_MS = 86_400_000;

export function UserDetail({ me, userId }: { me: ConsoleMe; userId: string }) {
  const heading = useHeadingFocus();
  const [user, setUser] = useState<DuoUser | null>(null);
  const [signIns, setSignIns] = useState<DuoAuthLog[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/v1/users/${encodeURIComponent(userId)}`;

  const load = useCallback(async () => {
    try {
      setUser((await admin<DuoUser>('GET', path)).response);
      const now = Date.now();
      const logs = await admin<{ authlogs: DuoAuthLog[] }>('GET', '/v2/logs/authentication', {
        users: [userId],
        mintime: now - 30 * DAY_MS,
        maxtime: now,
        limit: 10,
      });
      setSignIns(logs.response.authlogs);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [path, userId]);
  useEffect(() => {
    void load();
  }, [load]);

  async function act(what: string, method: 'POST', url: string, params = {}) {
    setError(null);
    try {
      await admin(method, url, params);
      setNotice(what);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const canWrite = may(me, 'write-resource');
  const canUnlock = may(me, 'write-resource', 'POST /v1/users/{user_id}');
  const canEmail = may(me, 'write-resource', 'POST /v1/countersign/users/{user_id}/enrollment_email');
  return (
    <>
      <p>
        <a href="#/users">← All users</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {user ? user.username : 'User'}
      </h1>
      <ErrorText message={error} />
      <Notice message={notice} />
      {user && (
        <>
          <section className="card" aria-labelledby="about-heading">
            <h2 id="about-heading">About</h2>
            <dl className="facts">
              <dt>Name</dt>
              <dd>{user.realname || '—'}</dd>
              <dt>E-mail</dt>
              <dd>{user.email || '—'}</dd>
              <dt>Status</dt>
              <dd>{STATUS_WORDS[user.status]}</dd>
              <dt>Groups</dt>
              <dd>{user.groups.map((group) => group.name).join(', ') || '—'}</dd>
              <dt>Enrolled</dt>
              <dd>{user.is_enrolled ? 'Yes' : 'Not yet'}</dd>
              <dt>Last sign-in</dt>
              <dd>{when(user.last_login)}</dd>
              <dt>Notes</dt>
              <dd>{user.notes || '—'}</dd>
            </dl>
            <div className="actions">
              {user.status === 'locked out' && canUnlock && (
                <button
                  type="button"
                  className="primary"
                  onClick={() => act('Unlocked.', 'POST', path, { status: 'active' })}
                >
                  Unlock
                </button>
              )}
              {canWrite && user.status !== 'disabled' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => act('Disabled.', 'POST', path, { status: 'disabled' })}
                >
                  Disable
                </button>
              )}
              {canWrite && user.status === 'disabled' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => act('Enabled again.', 'POST', path, { status: 'active' })}
                >
                  Enable
                </button>
              )}
              {canEmail && user.email !== '' && user.status !== 'disabled' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    act(
                      `Enrollment e-mail sent to ${user.email}.`,
                      'POST',
                      `/v1/countersign/users/${encodeURIComponent(userId)}/enrollment_email`,
                    )
                  }
                >
                  Send enrollment e-mail
                </button>
              )}
              {canWrite && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    act(
                      'Signed out everywhere.',
                      'POST',
                      `/v1/countersign/users/${encodeURIComponent(userId)}/sign_out`,
                    )
                  }
                >
                  Sign out everywhere
                </button>
              )}
            </div>
          </section>
          {canWrite && <EditUser user={user} onSaved={() => act('Saved.', 'POST', path)} path={path} />}
          <Devices me={me} user={user} />
          {canWrite && (
            <AssignToken
              user={user}
              onAssigned={(serial) => {
                setNotice(`Token ${serial} assigned.`);
                void load();
              }}
            />
          )}
          {may(me, 'write-resource', 'POST /v1/users/{user_id}/bypass_codes') && (
            <BypassCodes me={me} user={user} />
          )}
          <section className="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recent sign-ins</h2>
            {signIns === null || signIns.length === 0 ? (
              <p>No sign-ins in the last 30 days.</p>
            ) : (
              <table className="data">
                <caption className="visually-hidden">Sign-ins in the last 30 days, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Application</th>
                    <th scope="col">Result</th>
                    <th scope="col">Method</th>
                    <th scope="col">Where</th>
                  </tr>
                </thead>
                <tbody>
                  {signIns.map((entry) => (
                    <tr key={entry.txid}>
                      <td>{when(entry.timestamp)}</td>
                      <td>{entry.application?.name ?? '—'}</td>
                      <td>{entry.result}</td>
                      <td>{entry.factor}</td>
                      <td>{placeOf(entry)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {signIns?.some((entry) => placeOf(entry) !== '—') && <GeoAttribution />}
          </section>
        </>
      )}
    </>
  );
}

function EditUser({ user, path, onSaved }: { user: DuoUser; path: string; onSaved: () => void }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    try {
      await admin('POST', path, {
        realname: String(data.get('realname') ?? ''),
        email: String(data.get('email') ?? ''),
        notes: String(data.get('notes') ?? ''),
      });
      onSaved();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit</h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="edit-realname">Full name</label>
          <input id="edit-realname" name="realname" defaultValue={user.realname} />
        </div>
        <div className="field">
          <label htmlFor="edit-email">E-mail</label>
          <input id="edit-email" name="email" type="email" defaultValue={user.email} />
        </div>
        <div className="field">
          <label htmlFor="edit-notes">Notes</label>
          <input id="edit-notes" name="notes" defaultValue={user.notes} />
        </div>
        <ErrorText message={error} />
        <div className="actions">
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </section>
  );
}

function Devices({ me, user }: { me: ConsoleMe; user: DuoUser }) {
  const [link, setLink] = useState<{ phone: string; url: string; barcode: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canLink = may(me, 'write-resource', 'POST /v1/phones/{phone_id}/activation_url');
  async function activation(phoneId: string, name: string) {
    setError(null);
    try {
      const { response } = await admin<{ activation_url: string; activation_barcode: string }>(
        'POST',
        `/v1/phones/${encodeURIComponent(phoneId)}/activation_url`,
      );
      setLink({ phone: name, url: response.activation_url, barcode: response.activation_barcode });
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  const none = user.phones.length + user.tokens.length + user.webauthncredentials.length === 0;
  return (
    <section className="card" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Sign-in methods</h2>
      {none && <p>No sign-in methods yet: the user enrolls at their next sign-in or in the portal.</p>}
      <ul className="plain">
        {user.phones.map((phone) => (
          <li key={phone.phone_id}>
            <span>
              {phone.name || phone.platform || 'Phone'}
              {phone.number ? ` (${phone.number})` : ''} — {phone.activated ? 'active' : 'not activated'}
            </span>
            {canLink && (
              <button
                type="button"
                className="secondary"
                onClick={() => activation(phone.phone_id, phone.name)}
              >
                Get an activation link
              </button>
            )}
          </li>
        ))}
        {user.tokens.map((token) => (
          <li key={token.token_id}>
            Hardware token {token.serial} ({token.type})
          </li>
        ))}
        {user.webauthncredentials.map((key) => (
          <li key={key.webauthnkey}>Security key {key.credential_name}</li>
        ))}
      </ul>
      <ErrorText message={error} />
      {link && (
        <div className="once" aria-live="polite">
          <p>Give this link to the user for {link.phone || 'their phone'}. It works once, for one day:</p>
          <p>
            <a href={link.url}>{link.url}</a>
          </p>
          <img src={link.barcode} alt="QR code of the activation link" width={200} height={200} />
        </div>
      )}
    </section>
  );
}

/** The token kinds, as Duo names them, in words. */
const TOKEN_KINDS = [
  ['t6', 'Time-based, 6 digits'],
  ['t8', 'Time-based, 8 digits'],
  ['h6', 'Counter-based (press the button), 6 digits'],
  ['h8', 'Counter-based (press the button), 8 digits'],
] as const;

/** Gives the user an imported hardware token, found by its serial number and kind. */
function AssignToken({ user, onAssigned }: { user: DuoUser; onAssigned: (serial: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const serial = String(data.get('serial') ?? '').trim();
    setError(null);
    if (serial === '') return setError('Enter the serial number printed on the token.');
    try {
      const { response } = await admin<DuoToken[]>('GET', '/v1/tokens', {
        type: String(data.get('kind') ?? ''),
        serial,
      });
      const token = response[0];
      if (!token) return setError(`No imported token of that kind has serial ${serial}. Import it first.`);
      const owner = token.users[0];
      if (owner) return setError(`Token ${serial} already belongs to ${owner.username}.`);
      await admin('POST', `/v1/users/${encodeURIComponent(user.user_id)}/tokens`, {
        token_id: token.token_id,
      });
      form.reset();
      onAssigned(serial);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <section className="card" aria-labelledby="assign-heading">
      <h2 id="assign-heading">Assign a hardware token</h2>
      <form onSubmit={submit} noValidate className="inline-fields">
        <div className="field">
          <label htmlFor="assign-serial">Serial number</label>
          <input id="assign-serial" name="serial" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="assign-kind">Kind</label>
          <select id="assign-kind" name="kind" defaultValue="t6">
            {TOKEN_KINDS.map(([kind, words]) => (
              <option key={kind} value={kind}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Assign token
          </button>
        </div>
      </form>
      <ErrorText message={error} />
    </section>
  );
}
