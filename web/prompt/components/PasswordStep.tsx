// The password step (for fronts that did not check the password themselves).
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { FlowView } from '../api.ts';
import { Notice } from './Notice.tsx';

interface PasswordStepProps {
  view: FlowView;
  onSubmit: (password: string) => Promise<void>;
}

export function PasswordStep({ view, onSubmit }: PasswordStepProps) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onSubmit(password);
    setBusy(false);
    setPassword('');
  };
  return (
    <form onSubmit={submit} noValidate>
      <h1>Sign in to {view.application}</h1>
      <p className="hint">
        Username: <strong>{view.username}</strong>
      </p>
      <Notice notice={view.notice} />
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          ref={input}
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Continue
        </button>
      </div>
    </form>
  );
}
