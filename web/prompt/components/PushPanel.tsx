// Push: send a request to the Countersign Authenticator, show the verified-push number and the live status.
import { useState } from 'react';
import type { FlowApi, FlowView } from '../api.ts';

interface PushPanelProps {
  view: FlowView;
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
}

export function PushPanel({ view, run }: PushPanelProps) {
  const devices = view.methods.push;
  const [device, setDevice] = useState(devices[0]?.id ?? 'auto');
  const [busy, setBusy] = useState(false);
  const pushed = view.tx?.state === 'pushed';
  const send = async () => {
    setBusy(true);
    await run((api) => api.push(device, false));
    setBusy(false);
  };
  if (pushed) {
    const code = view.tx?.code ?? null;
    return (
      <div>
        {code ? (
          <>
            <p>Open the Countersign Authenticator on your phone and enter this number:</p>
            <p className="verification-code">
              <span className="visually-hidden">Verification number: </span>
              {code}
            </p>
          </>
        ) : (
          <p>Open the Countersign Authenticator on your phone and approve the request.</p>
        )}
        <p className="status" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> Waiting for your answer…
        </p>
      </div>
    );
  }
  return (
    <div>
      {devices.length > 1 && (
        <fieldset className="field">
          <legend>Send the request to</legend>
          {devices.map((candidate) => (
            <div key={candidate.id} className="choice">
              <input
                type="radio"
                id={`device-${candidate.id}`}
                name="device"
                value={candidate.id}
                checked={device === candidate.id}
                onChange={() => setDevice(candidate.id)}
              />
              <label htmlFor={`device-${candidate.id}`}>{candidate.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <p className="hint">
        We will send a sign-in request to {devices.length === 1 ? devices[0]?.name : 'your phone'}.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={send} disabled={busy}>
          Send request
        </button>
      </div>
    </div>
  );
}
