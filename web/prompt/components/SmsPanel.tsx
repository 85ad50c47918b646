// Texted codes: one tap sends a batch to the user's phone number; any of the codes is then typed as a passcode.
import { useState } from 'react';
import type { FlowApi, FlowView } from '../api.ts';
import { PasscodePanel } from './PasscodePanel.tsx';

interface SmsPanelProps {
  /** The number, masked as the server shows it. */
  number: string;
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
}

export function SmsPanel({ number, run }: SmsPanelProps) {
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    await run((api) => api.sms());
    setBusy(false);
  };
  return (
    <div>
      <p className="hint">We will text a few codes to {number}. Each code works once.</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={send} disabled={busy}>
          Text me codes
        </button>
      </div>
      <PasscodePanel run={run} />
    </div>
  );
}
