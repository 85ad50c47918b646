// Adds (or changes) the phone number for sign-in calls and text messages: a code is texted to it and typed back.
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { post } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

export function AddPhone({ handle, onBack }: { handle: Handle; onBack: () => void }) {
  const heading = useHeadingFocus();
  const [number, setNumber] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    try {
      const answer = await post<{ sent: string }>('/phone/send', { number: number.replace(/[\s().-]/g, '') });
      setSentTo(answer.sent);
    } catch (caught) {
      setError(handle(caught));
    }
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    setError(null);
    try {
      await post('/phone/confirm', { number: number.replace(/[\s().-]/g, ''), code });
      setDone(true);
    } catch (caught) {
      setError(handle(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="add-phone-heading">
      <h1 id="add-phone-heading" ref={heading} tabIndex={-1}>
        Phone number for calls and text messages
      </h1>
      {done ? (
        <>
          <p role="status">
            Your phone number is saved. You can now get sign-in calls and codes by text message.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={onBack}>
              Continue
            </button>
          </div>
        </>
      ) : sentTo === null ? (
        <form onSubmit={send} noValidate>
          <p>
            We will text a code to the number to make sure it is yours. If you already have one, it is
            replaced.
          </p>
          <div className="field">
            <label htmlFor="phone-number">Phone number, with the country code</label>
            <p className="hint" id="phone-number-hint">
              For example +1 503 555 0100.
            </p>
            <input
              id="phone-number"
              type="tel"
              autoComplete="tel"
              aria-describedby="phone-number-hint"
              value={number}
              onChange={(event) => setNumber(event.target.value)}
              required
            />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={number.trim() === ''}>
              Text me a code
            </button>
            <button type="button" className="secondary" onClick={onBack}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={confirm} noValidate>
          <p role="status">We sent a 7-digit code to {sentTo}. It works for 10 minutes.</p>
          <div className="field">
            <label htmlFor="phone-code">7-digit code</label>
            <input
              id="phone-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              required
            />
          </div>
          <div className="actions">
            <button type="submit" className="primary">
              Save phone number
            </button>
            <button type="button" className="secondary" onClick={() => setSentTo(null)}>
              Use another number
            </button>
          </div>
        </form>
      )}
      <ErrorText message={error} />
    </section>
  );
}
