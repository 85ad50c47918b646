// Adds a third-party authenticator app: scan the otpauth QR code, then prove it works by typing the current code.
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { post, type TotpStartView } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

export function AddTotp({ handle, onBack }: { handle: Handle; onBack: () => void }) {
  const heading = useHeadingFocus();
  const [seed, setSeed] = useState<TotpStartView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    post<TotpStartView>('/enroll/totp/start')
      .then(setSeed)
      .catch((caught) => setError(handle(caught)));
  }, [handle]);

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      await post('/enroll/totp/confirm', { code: form.get('code'), name: form.get('name') });
      setDone(true);
    } catch (caught) {
      setError(handle(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="add-totp-heading">
      <h1 id="add-totp-heading" ref={heading} tabIndex={-1}>
        Add another authenticator app
      </h1>
      {done ? (
        <>
          <p role="status">The authenticator app is added. Use its 6-digit codes when you sign in.</p>
          <div className="actions">
            <button type="button" className="primary" onClick={onBack}>
              Continue
            </button>
          </div>
        </>
      ) : (
        <>
          <p>
            Use any app that shows 6-digit codes (Google Authenticator, Microsoft Authenticator, 1Password…).
          </p>
          {seed && (
            <>
              <h2>1. Scan this QR code with the app</h2>
              <img
                className="qr"
                src={seed.qr}
                alt="QR code for your authenticator app"
                width="240"
                height="240"
              />
              <details>
                <summary>Can't scan? Type the key instead</summary>
                <p>
                  Key: <code className="wrap">{seed.secret}</code> (time-based, 6 digits, 30 seconds)
                </p>
              </details>
              <h2>2. Type the code the app shows</h2>
              <form onSubmit={confirm} noValidate>
                <div className="field">
                  <label htmlFor="totp-name">Name (so you can recognise it)</label>
                  <input
                    id="totp-name"
                    name="name"
                    defaultValue="Authenticator app"
                    maxLength={60}
                    required
                  />
                </div>
                <div className="field">
                  <label htmlFor="totp-code">6-digit code</label>
                  <input
                    id="totp-code"
                    name="code"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    required
                  />
                </div>
                <div className="actions">
                  <button type="submit" className="primary">
                    Add app
                  </button>
                  <button type="button" className="secondary" onClick={onBack}>
                    Cancel
                  </button>
                </div>
              </form>
            </>
          )}
        </>
      )}
      <ErrorText message={error} />
    </section>
  );
}
