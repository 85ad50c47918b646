// Confirms it’s really the user (a second factor) before the portal shows or changes anything.
import { startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, post, type StepUpMethod, type StepUpOutcome, type StepUpPushStarted } from '../api.ts';
import { METHOD_LABELS } from '../labels.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import { ErrorText } from './ErrorText.tsx';

type Method = StepUpMethod;
type Outcome = StepUpOutcome;

export function StepUp(props: {
  methods: Method[];
  organization: string;
  reason: 'sign-in' | 'change';
  onDone: () => void;
  onCancel?: () => void;
  /** A way out for someone who cannot confirm now. */
  onSignOut: () => void;
}) {
  const heading = useHeadingFocus();
  const [method, setMethod] = useState<Method | null>(props.methods.length === 1 ? props.methods[0]! : null);
  const [error, setError] = useState<string | null>(null);

  return (
    <section className="card" aria-labelledby="step-up-heading">
      <h1 id="step-up-heading" ref={heading} tabIndex={-1}>
        Confirm it’s you
      </h1>
      <p>
        {props.reason === 'sign-in'
          ? 'You already have a sign-in method. Use it to continue.'
          : 'Changing your sign-in methods needs a fresh confirmation.'}
      </p>
      {props.methods.length > 1 && (
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
              {METHOD_LABELS[m]}
            </button>
          ))}
        </fieldset>
      )}
      {method === 'push' && <PushStep key="push" onDone={props.onDone} onError={setError} />}
      {method === 'passcode' && <PasscodeStep key="passcode" onDone={props.onDone} onError={setError} />}
      {method === 'webauthn' && <KeyStep key="webauthn" onDone={props.onDone} onError={setError} />}
      {method === 'sms' && <TextStep key="sms" onDone={props.onDone} onError={setError} />}
      <ErrorText message={error} />
      <details className="lost-device">
        <summary>Lost your device?</summary>
        <p>
          Contact your {props.organization} help desk. Once they have checked who you are, they can give you a
          one-time code to sign in with. Then remove the lost device here and add a new one.
        </p>
      </details>
      <div className="actions">
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="button" className="quiet" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </section>
  );
}

interface StepProps {
  onDone: () => void;
  onError: (message: string | null) => void;
}

function messageOf(caught: unknown): string {
  return caught instanceof ApiError ? caught.message : 'That did not work. Please try again.';
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
      const started = await post<StepUpPushStarted>('/step-up/start', {
        method: 'push',
      });
      setCode(started.verificationCode);
      let version = started.version;
      while (alive.current) {
        const outcome = await post<Outcome>('/step-up/push-status', { version });
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
        <p className="verification" aria-live="polite">
          Type <strong className="code">{code}</strong> in the Countersign Authenticator to approve.
        </p>
      )}
      {waiting && !code && <p aria-live="polite">A request was sent to your phone. Approve it there.</p>}
      <div className="actions">
        <button type="button" className="primary" onClick={send} disabled={waiting}>
          {waiting ? 'Waiting for your phone…' : 'Send a push'}
        </button>
      </div>
    </div>
  );
}

/** Codes texted to the user's phone, then typed like any passcode. */
function TextStep({ onDone, onError }: StepProps) {
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  async function send() {
    onError(null);
    setBusy(true);
    try {
      await post('/step-up/start', { method: 'sms' });
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
      // Each attempt is its own transaction: a wrong code ends one, and the next attempt starts another.
      await post('/step-up/start', { method: 'passcode' });
      const outcome = await post<Outcome>('/step-up/passcode', { code });
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
      const { options } = await post<{ options: Parameters<typeof startAuthentication>[0]['optionsJSON'] }>(
        '/step-up/start',
        { method: 'webauthn' },
      );
      const response = await startAuthentication({ optionsJSON: options });
      const outcome = await post<Outcome>('/step-up/webauthn', { response });
      if (outcome.ok) return onDone();
      onError(outcome.message ?? 'The security key could not be verified.');
    } catch (caught) {
      onError(
        caught instanceof ApiError ? caught.message : 'The security key was not used. Please try again.',
      );
    }
    setBusy(false);
  }
  return (
    <div className="step">
      <div className="actions">
        <button type="button" className="primary" onClick={use} disabled={busy}>
          {busy ? 'Waiting for your security key…' : 'Use my security key'}
        </button>
      </div>
    </div>
  );
}
