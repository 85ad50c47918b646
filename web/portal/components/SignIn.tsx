// The portal's sign-in form: username and password, one message for every failure.
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { ApiError, post } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';

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
      await post('/sign-in', { username: form.get('username'), password: form.get('password') });
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Something went wrong. Please try again.');
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading" ref={heading} tabIndex={-1}>
        Manage your sign-in methods
      </h1>
      <p>Sign in with your {organization} username and password.</p>
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
  );
}
