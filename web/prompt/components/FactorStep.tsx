// The second-factor step: the chosen method first, "Other options", and "Remember me".
import { useEffect, useRef, useState } from 'react';
import type { FlowApi, FlowView, Method } from '../api.ts';
import { CallPanel } from './CallPanel.tsx';
import { Notice } from './Notice.tsx';
import { PasscodePanel } from './PasscodePanel.tsx';
import { PushPanel } from './PushPanel.tsx';
import { SecurityKeyPanel } from './SecurityKeyPanel.tsx';
import { SmsPanel } from './SmsPanel.tsx';

const LABELS: Record<Method, string> = {
  push: 'Send a request to my phone',
  passcode: 'Enter a passcode',
  webauthn: 'Use a security key',
  sms: 'Text me codes',
  call: 'Call me',
};

interface FactorStepProps {
  view: FlowView;
  run: (step: (api: FlowApi) => Promise<FlowView>) => Promise<void>;
  remember: boolean;
  onRemember: (remember: boolean) => void;
}

function availableMethods(view: FlowView): Method[] {
  const all: Method[] = [];
  if (view.methods.push.length > 0) all.push('push');
  if (view.methods.webauthn) all.push('webauthn');
  if (view.methods.passcode) all.push('passcode');
  if (view.methods.phone?.sms) all.push('sms');
  if (view.methods.phone?.call) all.push('call');
  return [view.defaultMethod, ...all.filter((method) => method !== view.defaultMethod)];
}

export function FactorStep({ view, run, remember, onRemember }: FactorStepProps) {
  const waitingFor: Method | null =
    view.tx?.state === 'pushed' ? (view.tx.factor === 'phone' ? 'call' : 'push') : null;
  const [method, setMethod] = useState<Method>(waitingFor ?? view.defaultMethod);
  const [showOthers, setShowOthers] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const others = availableMethods(view).filter((other) => other !== method);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Confirm it’s you
      </h1>
      <p className="hint">
        Signing in to <strong>{view.application}</strong> as <strong>{view.username}</strong>
      </p>
      <Notice notice={view.notice} />
      <section aria-label={LABELS[method]} className="method">
        {method === 'push' && <PushPanel view={view} run={run} />}
        {method === 'passcode' && <PasscodePanel run={run} />}
        {method === 'webauthn' && <SecurityKeyPanel run={run} />}
        {method === 'sms' && view.methods.phone && <SmsPanel number={view.methods.phone.number} run={run} />}
        {method === 'call' && view.methods.phone && <CallPanel view={view} run={run} />}
      </section>
      {view.rememberHours !== null && (
        <div className="remember">
          <input
            id="remember"
            type="checkbox"
            checked={remember}
            onChange={(event) => onRemember(event.target.checked)}
          />
          <label htmlFor="remember">Remember me for {view.rememberHours} hours on this browser</label>
        </div>
      )}
      {others.length > 0 && (
        <div className="others">
          <button
            type="button"
            className="secondary"
            aria-expanded={showOthers}
            aria-controls="other-options"
            onClick={() => setShowOthers(!showOthers)}
          >
            Other options
          </button>
          {showOthers && (
            <ul id="other-options" className="option-list">
              {others.map((other) => (
                <li key={other}>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      setMethod(other);
                      setShowOthers(false);
                    }}
                  >
                    {LABELS[other]}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
