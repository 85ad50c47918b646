// The steps of a step-up (a second factor before something sensitive), shared by the portal and the console.
import { startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { StepUpOutcome, StepUpPushStarted } from '../../src/fronts/portal/api-shape.ts';

/** How a page's step-up reaches its server: the portal and the console serve the same routes under their own paths. */
export interface StepUpApi {
  /** POSTs `body` to the step-up route `path` and resolves to its answer; throws with a message for people. */
  post<T>(path: string, body: unknown): Promise<T>;
  /** The words to show for anything `post` threw. */
  messageOf(caught: unknown): string;
}

export interface StepProps {
  api: StepUpApi;
  onDone: () => void;
  onError: (message: string | null) => void;
}

export function PushStep({ api, onDone, onError }: StepProps) {
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
      const started = await api.post<StepUpPushStarted>('/step-up/start', {
        method: 'push',
      });
      setCode(started.verificationCode);
      let version = started.version;
      while (alive.current) {
        const outcome = await api.post<StepUpOutcome>('/step-up/push-status', { version });
        if (outcome.done) {
          if (outcome.ok) return onDone();
          onError(outcome.message ?? 'The request was not approved.');
          break;
        }
        version = outcome.version ?? version;
      }
    } catch (caught) {
      onError(api.messageOf(caught));
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
export function TextStep({ api, onDone, onError }: StepProps) {
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  async function send() {
    onError(null);
    setBusy(true);
    try {
      await api.post('/step-up/start', { method: 'sms' });
      setSent(true);
    } catch (caught) {
      onError(api.messageOf(caught));
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
      {sent && <PasscodeStep api={api} onDone={onDone} onError={onError} />}
    </div>
  );
}

export function PasscodeStep({ api, onDone, onError }: StepProps) {
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '');
    onError(null);
    setBusy(true);
    try {
      // Each attempt is its own transaction: a wrong code ends one, and the next attempt starts another.
      await api.post('/step-up/start', { method: 'passcode' });
      const outcome = await api.post<StepUpOutcome>('/step-up/passcode', { code });
      if (outcome.ok) return onDone();
      onError(outcome.message ?? 'That code is not right.');
    } catch (caught) {
      onError(api.messageOf(caught));
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

export function KeyStep({ api, onDone, onError }: StepProps) {
  const [busy, setBusy] = useState(false);
  async function use() {
    onError(null);
    setBusy(true);
    try {
      const { options } = await api.post<{
        options: Parameters<typeof startAuthentication>[0]['optionsJSON'];
      }>('/step-up/start', { method: 'webauthn' });
      const response = await startAuthentication({ optionsJSON: options }).catch(() => null);
      // The browser's own refusal (cancelled, timed out, no key) says nothing useful to a person.
      if (response === null) {
        onError('The security key was not used. Please try again.');
        setBusy(false);
        return;
      }
      const outcome = await api.post<StepUpOutcome>('/step-up/webauthn', { response });
      if (outcome.ok) return onDone();
      onError(outcome.message ?? 'The security key could not be verified.');
    } catch (caught) {
      onError(api.messageOf(caught));
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
