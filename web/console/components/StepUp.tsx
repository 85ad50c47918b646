// The second step of the console's sign-in: a push, a passcode or a security key, through the portal's step-up.
import { startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { auth, messageOf, type StepUpMethod, type StepUpOutcome, type StepUpPushStarted } from '../api.ts';
import { ErrorText, useHeadingFocus } from './common.tsx';

const LABELS: Record<StepUpMethod, string> = {
  push: 'Send a push to my phone',
  passcode: 'Enter a passcode',
  webauthn: 'Use my security key',
  sms: 'Text me codes',
};

export function StepUp(props: { methods: StepUpMethod[]; onDone: () => void; onSignOut: () => void }) {
  const heading = useHeadingFocus();
  const [method, setMethod] = useState<StepUpMethod | null>(
    props.methods.includes('passcode') && props.methods.length === 1 ? 'passcode' : null,
  );
  const [error, setError] = useState<string | null>(null);

  return (
    <main className="narrow">
      <section className="card" aria-labelledby="step-up-heading">
        <h1 id="step-up-heading" ref={heading} tabIndex={-1}>
          Confirm it's you
        </h1>
        <p>The console needs a second sign-in method every time.</p>
        <fieldset className="choices">
          <legend>How would you like to confirm?</legend>
          {props.methods.map((m) => (
            <button
              key={m}
              type="button"
              className={method === m ? 'primary' : 'secondary'}
              aria-pressed={method === m}
              onClick={() => {
                setError(null);
                setMethod(m);
              }}
            >
              {LABELS[m]}
            </button>
          ))}
        </fieldset>
        {method === 'push' && <PushStep onDone={props.onDone} onError={setError} />}
        {method === 'passcode' && <PasscodeStep onDone={props.onDone} onError={setError} />}
        {method === 'webauthn' && <KeyStep onDone={props.onDone} onError={setError} />}
        {method === 'sms' && <TextStep onDone={props.onDone} onError={setError} />}
        <ErrorText message={error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </section>
    </main>
  );
}

interface StepProps {
  onDone: () => void;
  onError: (message: string | null) => void;
}

function PushStep({ onDone, onError }: StepProps) {
  const [code, setCode] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  async function send() {
    onError(null);
    setWaiting(true);
    try {
      const started = await auth<StepUpPushStarted>('POST', '/step-up/start', { method: 'push' });
      setCode(started.verificationCode);
      let version = started.version;
      while (alive.current) {
        const outcome = await auth<StepUpOutcome>('POST', '/step-up/push-status', { version });
        if (outcome.done) {
          if (outcome.ok) return onDone();
          onError(outcome.message ?? 'The request was not approved.');
          break;
        }
        version = outcome.version ?? version;
      }
    } catch (caught) {
      onError(messageOf(caught));
    }
    setWaiting(false);
    setCode(null);
  }
  return (
    <div className="step">
      {code && (
        <p aria-live="polite">
          Type <strong className="code">{code}</strong> in the Countersign Authenticator to approve.
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={send} disabled={waiting}>
          {waiting ? 'Waiting for your phone…' : 'Send the push'}
        </button>
      </div>
    </div>
  );
}

/** Codes texted to the administrator's phone, then typed like any passcode. */
function TextStep({ onDone, onError }: StepProps) {
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  async function send() {
    onError(null);
    setBusy(true);
    try {
      await auth('POST', '/step-up/start', { method: 'sms' });
      setSent(true);
    } catch (caught) {
      onError(messageOf(caught));
    }
    setBusy(false);
  }
  return (
    <div className="step">
      {sent && <p role="status">We sent you a text message with codes. Enter one of them below.</p>}
      <div className="actions">
        <button type="button" className={sent ? 'secondary' : 'primary'} onClick={send} disabled={busy}>
          {sent ? 'Text me new codes' : 'Text me codes'}
        </button>
      </div>
      {sent && <PasscodeStep onDone={onDone} onError={onError} />}
    </div>
  );
}

function PasscodeStep({ onDone, onError }: StepProps) {
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '');
    onError(null);
    setBusy(true);
    try {
      // Each attempt is its own transaction: a wrong code ends one, the next attempt starts another.
      await auth('POST', '/step-up/start', { method: 'passcode' });
      const outcome = await auth<StepUpOutcome>('POST', '/step-up/passcode', { code });
      if (outcome.ok) return onDone();
      onError(outcome.message ?? 'That code is not right.');
    } catch (caught) {
      onError(messageOf(caught));
    }
    setBusy(false);
  }
  return (
    <form className="step" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="step-up-code">Passcode</label>
        <p className="hint" id="step-up-code-hint">
          From your authenticator app, hardware token or a backup code.
        </p>
        <input
          id="step-up-code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          aria-describedby="step-up-code-hint"
          required
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Confirm
        </button>
      </div>
    </form>
  );
}

function KeyStep({ onDone, onError }: StepProps) {
  const [busy, setBusy] = useState(false);
  async function use() {
    onError(null);
    setBusy(true);
    try {
      const { options } = await auth<{ options: Parameters<typeof startAuthentication>[0]['optionsJSON'] }>(
        'POST',
        '/step-up/start',
        { method: 'webauthn' },
      );
      const response = await startAuthentication({ optionsJSON: options });
      const outcome = await auth<StepUpOutcome>('POST', '/step-up/webauthn', { response });
      if (outcome.ok) return onDone();
      onError(outcome.message ?? 'The security key could not be verified.');
    } catch (caught) {
      onError(messageOf(caught));
    }
    setBusy(false);
  }
  return (
    <div className="step">
      <div className="actions">
        <button type="button" className="primary" onClick={use} disabled={busy}>
          {busy ? 'Waiting for your security key…' : 'Use the security key'}
        </button>
      </div>
    </div>
  );
}
