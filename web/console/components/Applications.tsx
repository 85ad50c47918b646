// Applications: the list, a new one (its secret key shown once), the policy editor over every layer, the
// enforcement date, and a preview of what one user gets and why.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { admin, type ConsoleMe, messageOf } from '../api.ts';
import { may } from '../screens.ts';
import { ErrorText, Notice, useHeadingFocus } from './common.tsx';

interface Integration {
  integration_key: string;
  name: string;
  type: string;
  countersign_type?: string;
}

type Layer = Record<string, unknown>;
interface Policies {
  global: Layer;
  applications: Array<{ integration_key: string; name: string; policy: Layer }>;
  groups: Array<{ name: string; policy: Layer }>;
}

/** The policy keys (docs/policy.md), in the order the editor lists them. */
const POLICY_KEYS = [
  'authPolicy',
  'newUserPolicy',
  'allowedMethods',
  'rememberHours',
  'rememberScope',
  'enforcementDate',
  'lockoutThreshold',
  'autoUnlockMinutes',
  'pushTimeoutSeconds',
  'verifiedPush',
  'verifiedPushDigits',
  'pushLimit',
  'pushLimitWindowMinutes',
  'denialCooldownMinutes',
  'fraudPauseMinutes',
  'userVerification',
] as const;

/** The kinds a name is enough to create (OpenID Connect and SAML need their metadata: `countersign app add`). */
const TYPES = [
  ['auth-api', 'Auth API (VPNs, duo_unix, Duo-compatible clients)'],
  ['universal', 'Web sign-in (Duo Universal Prompt)'],
  ['radius', 'RADIUS'],
  ['admin-api', 'Admin API'],
] as const;

export function Applications({ me }: { me: ConsoleMe }) {
  const heading = useHeadingFocus();
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Applications
      </h1>
      {may(me, 'applications') && <IntegrationList />}
      {may(me, 'settings') && <PolicyEditor />}
      {may(me, 'read-resource') && <PolicyPreview />}
    </>
  );
}

function IntegrationList() {
  const [apps, setApps] = useState<Integration[] | null>(null);
  const [secret, setSecret] = useState<{ name: string; ikey: string; skey: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    admin<Integration[]>('GET', '/v1/integrations', { limit: 300 })
      .then(({ response }) => setApps(response))
      .catch((caught) => setError(messageOf(caught)));
  }, []);
  useEffect(load, [load]);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      const { response } = await admin<Integration & { secret_key: string }>('POST', '/v1/integrations', {
        name: String(data.get('name') ?? ''),
        type: String(data.get('type') ?? ''),
      });
      setSecret({ name: response.name, ikey: response.integration_key, skey: response.secret_key });
      form.reset();
      load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <section className="card" aria-labelledby="apps-heading">
      <h2 id="apps-heading">Your applications</h2>
      <ErrorText message={error} />
      {apps && apps.length === 0 && <p>No applications yet.</p>}
      {apps && apps.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Applications</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Integration key</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr key={app.integration_key}>
                <td>{app.name}</td>
                <td>{app.countersign_type ?? app.type}</td>
                <td>
                  <code>{app.integration_key}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Add an application</h3>
      <form onSubmit={create} noValidate>
        <div className="field">
          <label htmlFor="app-name">Name</label>
          <input id="app-name" name="name" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="app-type">Kind</label>
          <select id="app-type" name="type" defaultValue="auth-api">
            {TYPES.map(([type, words]) => (
              <option key={type} value={type}>
                {words}
              </option>
            ))}
          </select>
          <p className="hint">
            OpenID Connect and SAML applications need their metadata: add them on the server with{' '}
            <code>countersign app add</code>.
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Add application
          </button>
        </div>
      </form>
      {secret && (
        <div className="once" aria-live="polite">
          <h3>Keys of {secret.name}</h3>
          <p>Copy the secret key now: it is shown only this once.</p>
          <dl className="facts">
            <dt>Integration key</dt>
            <dd>
              <code>{secret.ikey}</code>
            </dd>
            <dt>Secret key</dt>
            <dd>
              <code>{secret.skey}</code>
            </dd>
          </dl>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            I have copied it
          </button>
        </div>
      )}
    </section>
  );
}

function PolicyEditor() {
  const [policies, setPolicies] = useState<Policies | null>(null);
  const [target, setTarget] = useState('global');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    admin<Policies>('GET', '/v1/countersign/policies')
      .then(({ response }) => setPolicies(response))
      .catch((caught) => setError(messageOf(caught)));
  }, []);
  useEffect(load, [load]);
  const [level, name] = target.includes(':') ? (target.split(/:(.*)/s) as [string, string]) : ['global', ''];
  const layer: Layer =
    level === 'global'
      ? (policies?.global ?? {})
      : level === 'application'
        ? (policies?.applications.find((a) => a.integration_key === name)?.policy ?? {})
        : (policies?.groups.find((g) => g.name === name)?.policy ?? {});

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const changed: Record<string, string> = {};
    for (const key of POLICY_KEYS) {
      const value = String(data.get(key) ?? '');
      const before =
        layer[key] === undefined
          ? ''
          : Array.isArray(layer[key])
            ? (layer[key] as string[]).join(',')
            : String(layer[key]);
      if (value !== before) changed[key] = value;
    }
    if (Object.keys(changed).length === 0) return setNotice('Nothing changed.');
    setError(null);
    try {
      await admin('POST', '/v1/countersign/policies', {
        target: level,
        ...(level !== 'global' && { name }),
        ...changed,
      });
      setNotice('Policy saved.');
      load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Policies</h2>
      <p className="hint">
        The global policy applies everywhere; an application's or a group's policy overrides it where it sets
        a value. Leave a field empty to inherit it. The enforcement date is the day enrollment becomes
        required.
      </p>
      <div className="field">
        <label htmlFor="policy-target">Policy of</label>
        <select id="policy-target" value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="global">Everyone (global)</option>
          {policies?.applications.map((app) => (
            <option key={app.integration_key} value={`application:${app.integration_key}`}>
              Application: {app.name}
            </option>
          ))}
          {policies?.groups.map((group) => (
            <option key={group.name} value={`group:${group.name}`}>
              Group: {group.name}
            </option>
          ))}
        </select>
      </div>
      <form onSubmit={save} key={target} className="policy-form">
        {POLICY_KEYS.map((key) => {
          const value = layer[key];
          return (
            <div className="field" key={key}>
              <label htmlFor={`policy-${key}`}>{key}</label>
              <input
                id={`policy-${key}`}
                name={key}
                type={key === 'enforcementDate' ? 'date' : 'text'}
                defaultValue={
                  value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value)
                }
                autoComplete="off"
              />
            </div>
          );
        })}
        <ErrorText message={error} />
        <Notice message={notice} />
        <div className="actions">
          <button type="submit" className="primary">
            Save policy
          </button>
        </div>
      </form>
    </section>
  );
}

interface Preview {
  policy: Layer;
  layers: Array<{ level: 'global' | 'application' | 'group'; name: string | null; fields: string[] }>;
  explanation: string;
}

const LEVEL_WORDS = { global: 'Everyone', application: 'Application', group: 'Group' } as const;

function PolicyPreview() {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    try {
      const { response } = await admin<Preview>('GET', '/v1/countersign/policy_preview', {
        username: String(data.get('username') ?? ''),
        integration_key: String(data.get('ikey') ?? ''),
      });
      setPreview(response);
    } catch (caught) {
      setPreview(null);
      setError(messageOf(caught));
    }
  }
  return (
    <section className="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">What does a user get?</h2>
      <form onSubmit={submit} className="inline-fields">
        <div className="field">
          <label htmlFor="preview-user">Username</label>
          <input id="preview-user" name="username" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="preview-app">Integration key</label>
          <input id="preview-app" name="ikey" required autoComplete="off" />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Preview
          </button>
        </div>
      </form>
      <ErrorText message={error} />
      {preview && (
        <div aria-live="polite">
          <p>{preview.explanation}</p>
          <ul>
            {preview.layers.map((layer) => (
              <li key={`${layer.level}:${layer.name ?? ''}`}>
                {LEVEL_WORDS[layer.level]}
                {layer.name ? ` ${layer.name}` : ''}: {layer.fields.join(', ') || 'nothing set'}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
