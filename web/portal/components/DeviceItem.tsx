// One device in the list: its name and kind, with rename, remove and (for phones) "move to a new phone".
import { type FormEvent, useState } from 'react';
import { type Device, post } from '../api.ts';
import { deviceTitle, when } from '../labels.ts';
import type { Handle } from './handle.ts';

export function DeviceItem(props: {
  device: Device;
  handle: Handle;
  onChanged: (message: string) => void;
  onReactivate: (device: Device) => void;
  onError: (message: string | null) => void;
}) {
  const { device } = props;
  const title = deviceTitle(device);
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');

  async function run(action: () => Promise<unknown>, message: string) {
    props.onError(null);
    try {
      await action();
      setMode('view');
      props.onChanged(message);
    } catch (caught) {
      props.onError(props.handle(caught));
    }
  }

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    void run(() => post(`/devices/${device.id}/rename`, { name }), `Renamed to "${name}".`);
  }

  return (
    <li className="device">
      <div>
        <strong>{title.name}</strong>
        {title.kind && <span className="muted"> — {title.kind}</span>}
        <div className="muted small">
          Added {when(device.createdAt)}
          {device.lastUsedAt !== null && `, last used ${when(device.lastUsedAt)}`}
        </div>
      </div>
      {mode === 'view' && !device.hardware && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => setMode('rename')}
            aria-label={`Rename ${device.name}`}
          >
            Rename
          </button>
          {device.kind === 'push' && (
            <button
              type="button"
              className="secondary"
              onClick={() => props.onReactivate(device)}
              aria-label={`Move ${device.name} to a new phone`}
            >
              New phone
            </button>
          )}
          {/* Quiet on every row: the red, loud button belongs to the confirmation below. */}
          <button
            type="button"
            className="quiet danger"
            onClick={() => setMode('remove')}
            aria-label={`Remove ${device.name}`}
          >
            Remove
          </button>
        </div>
      )}
      {device.hardware && <p className="muted small">Hardware tokens are managed by the help desk.</p>}
      {mode === 'rename' && (
        <form onSubmit={rename} className="inline-form">
          <label htmlFor={`rename-${device.id}`}>New name for {device.name}</label>
          <input id={`rename-${device.id}`} name="name" defaultValue={device.name} maxLength={60} required />
          <div className="actions">
            <button type="submit" className="primary">
              Save name
            </button>
            <button type="button" className="secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode === 'remove' && (
        <fieldset className="confirm">
          <legend>
            Remove “{device.name}”? You can no longer sign in with it, and remembered browsers must verify
            again.
          </legend>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => run(() => post(`/devices/${device.id}/remove`), `Removed "${device.name}".`)}
            >
              Yes, remove it
            </button>
            <button type="button" className="secondary" onClick={() => setMode('view')}>
              Keep it
            </button>
          </div>
        </fieldset>
      )}
    </li>
  );
}
