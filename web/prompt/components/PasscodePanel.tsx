// Passcode: a code from the Authenticator, an authenticator app, a hardware token or a backup code.
import { type FormEvent, useState } from 'react';
import type { FlowApi, FlowView } from '../api.ts';

interface PasscodePanelProps {
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
}

export function PasscodePanel({ run }: PasscodePanelProps) {
  const [passcode, setPasscode] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await run((api) => api.passcode(passcode));
    setBusy(false);
    setPasscode('');
  };
  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="passcode">Passcode</label>
        <p className="hint" id="passcode-hint">
          From the Countersign Authenticator, your authenticator app or token, or a backup code.
        </p>
        <input
          id="passcode"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={12}
          aria-describedby="passcode-hint"
          value={passcode}
          onChange={(event) => setPasscode(event.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || passcode.trim() === ''}>
          Verify
        </button>
      </div>
    </form>
  );
}
