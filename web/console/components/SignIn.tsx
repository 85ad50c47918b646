// The console's sign-in: username and password (the portal's sign-in), one message for every failure.
import { type FormEvent, useState } from 'react';
import { auth, messageOf } from '../api.ts';
import { ErrorText, useHeadingFocus } from './common.tsx';

export function SignIn({ organization, onDone }: { organization: string; onDone: () => void }) {
  const heading = useHeadingFocus();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await auth('POST', '/sign-in', { username: form.get('username'), password: form.get('password') });
      onDone();
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  }

  return (
    <main className="narrow">
      <section className="card" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading" ref={heading} tabIndex={-1}>
          Sign in to the {organization} console
        </h1>
        <p>For administrators. You will confirm it is you with your phone or security key next.</p>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="username">Username</label>
            <input id="username" name="username" autoComplete="username" required autoCapitalize="none" />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <ErrorText message={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
