// A waiting login request: who, where and what, the verified-push number, and Approve / Deny (with "Report as fraud?").
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Decision } from '../../../src/device-protocol/messages.ts';
import { GeoAttribution } from '../../shared/GeoAttribution.tsx';
import type { ShownRequest } from '../use-requests.ts';

export interface RequestCardProps {
  shown: ShownRequest;
  /** Sends the signed answer; resolves when the server has it. */
  onAnswer(decision: Decision, code: string): Promise<void>;
  /** Focus this card's first control (opened from a notification). */
  focusRequested: boolean;
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** One request card. */
export function RequestCard({ shown, onAnswer, focusRequested }: RequestCardProps) {
  const { request, account } = shown;
  const id = useId();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [confirmingDeny, setConfirmingDeny] = useState(false);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const approveButton = useRef<HTMLButtonElement>(null);
  const fraudQuestion = useRef<HTMLHeadingElement>(null);
  const digits = request.verification?.digits ?? 0;

  useEffect(() => {
    if (focusRequested) (codeInput.current ?? approveButton.current)?.focus();
  }, [focusRequested]);
  useEffect(() => {
    if (confirmingDeny) fraudQuestion.current?.focus();
  }, [confirmingDeny]);

  const answer = async (decision: Decision, typed: string) => {
    setBusy(true);
    try {
      await onAnswer(decision, typed);
    } finally {
      setBusy(false);
    }
  };

  const approve = (event: FormEvent) => {
    event.preventDefault();
    if (digits > 0 && !new RegExp(`^[0-9]{${digits}}$`).test(code)) {
      setError(`Enter the ${digits}-digit number shown on your login screen first.`);
      codeInput.current?.focus();
      return;
    }
    setError('');
    void answer('approve', digits > 0 ? code : '');
  };

  const title = `${request.type} request`;
  return (
    <article className="card request" aria-labelledby={`${id}-title`} data-txid={request.txid}>
      <h3 id={`${id}-title`}>
        {title} <span className="from">from {request.application}</span>
      </h3>
      <dl className="facts">
        <div>
          <dt>Account</dt>
          <dd>
            {request.username} · {account.organization}
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{formatTime(request.createdAt)}</dd>
        </div>
        {request.ip && (
          <div>
            <dt>IP address</dt>
            <dd>{request.ip}</dd>
          </div>
        )}
        {request.location && (
          <div>
            <dt>Location</dt>
            <dd>{request.location}</dd>
          </div>
        )}
        {request.details.map(([label, value], index) => (
          // Details may repeat a label; their order is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed for the request's lifetime
          <div key={index}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {request.location && <GeoAttribution />}
      {confirmingDeny ? (
        <section className="confirm" aria-labelledby={`${id}-fraud`}>
          <h4 id={`${id}-fraud`} ref={fraudQuestion} tabIndex={-1}>
            Report as fraud?
          </h4>
          <p>
            Report it if you did not just try to sign in: your administrator is told, and login requests
            pause.
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void answer('fraud', '')}>
              Yes, report
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void answer('deny', '')}
            >
              No, just deny
            </button>
          </div>
        </section>
      ) : (
        <form onSubmit={approve} noValidate>
          {digits > 0 && (
            <div className="field">
              <label htmlFor={`${id}-code`}>Enter the number shown on your login screen</label>
              <input
                id={`${id}-code`}
                ref={codeInput}
                className="code-input"
                inputMode="numeric"
                autoComplete="off"
                pattern="[0-9]*"
                maxLength={digits}
                value={code}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(event) => setCode(event.target.value.replace(/[^0-9]/g, '').slice(0, digits))}
              />
              {error && (
                <p id={`${id}-error`} className="error">
                  {error}
                </p>
              )}
            </div>
          )}
          <div className="actions">
            <button type="submit" ref={approveButton} className="primary" disabled={busy}>
              Approve
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirmingDeny(true)}
            >
              Deny
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
