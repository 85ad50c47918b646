// Confirms it’s really the user (a second factor) before the portal shows or changes anything.
import { useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { KeyStep, PasscodeStep, PushStep, type StepUpApi, TextStep } from '../../shared/StepUpSteps.tsx';
import { ApiError, post, type StepUpMethod } from '../api.ts';
import { METHOD_LABELS } from '../labels.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';

type Method = StepUpMethod;

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
      {method === 'push' && <PushStep api={PORTAL_API} key="push" onDone={props.onDone} onError={setError} />}
      {method === 'passcode' && (
        <PasscodeStep api={PORTAL_API} key="passcode" onDone={props.onDone} onError={setError} />
      )}
      {method === 'webauthn' && (
        <KeyStep api={PORTAL_API} key="webauthn" onDone={props.onDone} onError={setError} />
      )}
      {method === 'sms' && <TextStep api={PORTAL_API} key="sms" onDone={props.onDone} onError={setError} />}
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

/** The portal's step-up routes. */
const PORTAL_API: StepUpApi = {
  post: (path, body) => post(path, body),
  messageOf: (caught) =>
    caught instanceof ApiError ? caught.message : 'That did not work. Please try again.',
};
