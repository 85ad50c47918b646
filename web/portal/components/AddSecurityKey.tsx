// Adds a security key or passkey with WebAuthn (the browser asks for the key, a PIN or a fingerprint).
import { startRegistration } from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { ApiError, post } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];

export function AddSecurityKey({ handle, onBack }: { handle: Handle; onBack: () => void }) {
  const heading = useHeadingFocus();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function register(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get('name');
    setError(null);
    setBusy(true);
    try {
      const { options } = await post<{ options: CreationOptions }>('/enroll/webauthn/options');
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch {
        throw new ApiError(
          0,
          'CANCELLED',
          'The security key was not registered (cancelled or timed out). Please try again.',
        );
      }
      await post('/enroll/webauthn/verify', { response, name });
      setDone(true);
    } catch (caught) {
      setError(handle(caught));
    }
    setBusy(false);
  }

  return (
    <section className="card" aria-labelledby="add-key-heading">
      <h1 id="add-key-heading" ref={heading} tabIndex={-1}>
        Add a security key or passkey
      </h1>
      {done ? (
        <>
          <p role="status">Your security key is added.</p>
          <div className="actions">
            <button type="button" className="primary" onClick={onBack}>
              Continue
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={register} noValidate>
          <p>Have your security key ready, or use this device's fingerprint, face or PIN as a passkey.</p>
          <div className="field">
            <label htmlFor="key-name">Name (so you can recognise it)</label>
            <input id="key-name" name="name" defaultValue="Security key" maxLength={60} required />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Follow your browser…' : 'Register security key'}
            </button>
            <button type="button" className="secondary" onClick={onBack}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorText message={error} />
    </section>
  );
}
