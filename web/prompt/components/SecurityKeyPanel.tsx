// Security key or passkey: the browser's WebAuthn ceremony against the transaction's challenge.
import { startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'react';
import { type FlowApi, type FlowView, PromptError } from '../api.ts';

interface SecurityKeyPanelProps {
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
}

export function SecurityKeyPanel({ run }: SecurityKeyPanelProps) {
  const [busy, setBusy] = useState(false);
  const use = async () => {
    setBusy(true);
    await run(async (api) => {
      const optionsJSON = await api.webauthnOptions();
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON });
      } catch {
        throw new PromptError(400, 'The security key was not used. Try again, or choose another option.');
      }
      return api.webauthn(response);
    });
    setBusy(false);
  };
  return (
    <div>
      <p className="hint">Insert or touch your security key, or use a passkey on this device.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={use} disabled={busy}>
          Use security key
        </button>
      </div>
    </div>
  );
}
