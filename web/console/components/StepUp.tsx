// The second step of the console's sign-in: a push, a passcode or a security key, through the portal's step-up.
import { useState } from 'react';
import { KeyStep, PasscodeStep, PushStep, type StepUpApi, TextStep } from '../../shared/StepUpSteps.tsx';
import { auth, messageOf, type StepUpMethod } from '../api.ts';
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
          Confirm it’s you
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
        {method === 'push' && <PushStep api={CONSOLE_API} onDone={props.onDone} onError={setError} />}
        {method === 'passcode' && <PasscodeStep api={CONSOLE_API} onDone={props.onDone} onError={setError} />}
        {method === 'webauthn' && <KeyStep api={CONSOLE_API} onDone={props.onDone} onError={setError} />}
        {method === 'sms' && <TextStep api={CONSOLE_API} onDone={props.onDone} onError={setError} />}
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

/** The console's step-up routes (the portal's, under /admin/console/auth). */
const CONSOLE_API: StepUpApi = {
  post: (path, body) => auth('POST', path, body),
  messageOf,
};
