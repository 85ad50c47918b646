// A sign-in call: the phone rings, says who is signing in to what; pressing 1 approves, 9 reports it.
import { useState } from 'react';
import type { FlowApi, FlowView } from '../api.ts';

interface CallPanelProps {
  view: FlowView;
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
}

export function CallPanel({ view, run }: CallPanelProps) {
  const [busy, setBusy] = useState(false);
  const number = view.methods.phone?.number ?? 'your phone';
  const call = async () => {
    setBusy(true);
    await run((api) => api.call());
    setBusy(false);
  };
  if (view.tx?.state === 'pushed') {
    return (
      <div>
        <p>
          We are calling {number}. Answer it and press <strong>1</strong> to approve. If you did not try to
          sign in, press <strong>9</strong>.
        </p>
        <p className="status" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> Waiting for your answer…
        </p>
      </div>
    );
  }
  return (
    <div>
      <p className="hint">We will call {number}.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={call} disabled={busy}>
          Call me
        </button>
      </div>
    </div>
  );
}
