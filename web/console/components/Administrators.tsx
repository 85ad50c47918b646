// Administrators (owners only): who may use the console and with which role.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { admin, messageOf } from '../api.ts';
import type { DuoAdmin } from '../duo-types.ts';
import { ErrorText, Notice, useHeadingFocus, when } from './common.tsx';

const ROLES = [
  ['Owner', 'Owner — everything, including administrators'],
  ['Administrator', 'Administrator — everything but administrators'],
  ['Help Desk', 'Help desk — look users up, unlock, activation links, limited bypass codes'],
  ['Read-only', 'Read-only — look, change nothing'],
] as const;

export function Administrators() {
  const heading = useHeadingFocus();
  const [admins, setAdmins] = useState<DuoAdmin[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setAdmins((await admin<DuoAdmin[]>('GET', '/v1/admins', { limit: 300 })).response);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function change(what: string, method: 'POST' | 'DELETE', path: string, params = {}) {
    setError(null);
    try {
      await admin(method, path, params);
      setNotice(what);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const username = String(data.get('username') ?? '');
    await change(`${username} is now an administrator.`, 'POST', '/v1/admins', {
      username,
      role: String(data.get('role') ?? ''),
    });
    form.reset();
  }

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Administrators
      </h1>
      <ErrorText message={error} />
      <Notice message={notice} />
      {admins && (
        <table className="data">
          <caption className="visually-hidden">Administrators</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {admins.map((a) => (
              <tr key={a.admin_id}>
                <td>{a.username}</td>
                <td>{a.name}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${a.admin_id}`}>
                    Role of {a.username}
                  </label>
                  <select
                    id={`role-${a.admin_id}`}
                    value={a.role}
                    onChange={(event) =>
                      change(
                        `${a.username} is now ${event.target.value}.`,
                        'POST',
                        `/v1/admins/${encodeURIComponent(a.admin_id)}`,
                        {
                          role: event.target.value,
                        },
                      )
                    }
                  >
                    {ROLES.map(([role]) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{when(a.last_login)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Remove ${a.username} as administrator`}
                    onClick={() =>
                      change(
                        `${a.username} is no longer an administrator.`,
                        'DELETE',
                        `/v1/admins/${encodeURIComponent(a.admin_id)}`,
                      )
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="add-admin-heading">
        <h2 id="add-admin-heading">Add an administrator</h2>
        <p className="hint">Administrators are users: add the user first, then give them a role here.</p>
        <form onSubmit={add} noValidate>
          <div className="field">
            <label htmlFor="admin-username">Username</label>
            <input id="admin-username" name="username" required autoCapitalize="none" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="admin-role">Role</label>
            <select id="admin-role" name="role" defaultValue="Read-only">
              {ROLES.map(([role, words]) => (
                <option key={role} value={role}>
                  {words}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="primary">
              Add administrator
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
