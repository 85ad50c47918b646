// The user's default sign-in method and automatic push (read by the login prompt).
import { type FormEvent, useState } from 'react';
import { type DeviceList, post } from '../api.ts';
import { METHOD_LABELS } from '../labels.ts';
import type { Handle } from './handle.ts';

export function Preferences(props: {
  list: DeviceList;
  handle: Handle;
  onSaved: (message: string) => void;
  onError: (m: string | null) => void;
}) {
  const kinds = new Set(props.list.devices.map((d) => d.kind));
  const available = (['push', 'passcode', 'webauthn'] as const).filter(
    (m) =>
      (m === 'push' && kinds.has('push')) ||
      (m === 'webauthn' && kinds.has('webauthn')) ||
      (m === 'passcode' && (kinds.size > 0 || props.list.backupCodes > 0)),
  );
  const [method, setMethod] = useState(props.list.prefs.defaultMethod ?? available[0] ?? 'passcode');
  const [autoPush, setAutoPush] = useState(props.list.prefs.autoPush);
  if (available.length === 0) return null;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onError(null);
    try {
      await post('/preferences', { defaultMethod: method, autoPush: method === 'push' && autoPush });
      props.onSaved('Your sign-in preferences are saved.');
    } catch (caught) {
      props.onError(props.handle(caught));
    }
  }

  return (
    <section aria-labelledby="prefs-heading" className="card">
      <h2 id="prefs-heading">When you sign in</h2>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor="default-method">Default method</label>
          <select
            id="default-method"
            value={method}
            onChange={(e) => setMethod(e.target.value as typeof method)}
          >
            {available.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        {method === 'push' && (
          <div className="field checkbox">
            <input
              id="auto-push"
              type="checkbox"
              checked={autoPush}
              onChange={(e) => setAutoPush(e.target.checked)}
            />
            <label htmlFor="auto-push">Send the push automatically</label>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            Save preferences
          </button>
        </div>
      </form>
    </section>
  );
}
