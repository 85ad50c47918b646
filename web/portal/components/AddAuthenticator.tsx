// Adds the Countersign Authenticator step by step: install it, show the QR code, move on when the app activates.
import { useEffect, useRef, useState } from 'react';
import { ErrorText } from '../../shared/ErrorText.tsx';
import { type ActivationLinkView, type ActivationStatusView, get, post } from '../api.ts';
import { useHeadingFocus } from '../use-heading-focus.ts';
import type { Handle } from './handle.ts';

type Step = 'install' | 'scan' | 'done' | 'expired';

export function AddAuthenticator(props: {
  replaces?: { id: string; name: string };
  handle: Handle;
  onBack: () => void;
}) {
  const heading = useHeadingFocus();
  const [step, setStep] = useState<Step>('install');
  const [activation, setActivation] = useState<ActivationLinkView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  async function showCode() {
    setError(null);
    try {
      const body = props.replaces ? { replacesDeviceId: props.replaces.id, name: props.replaces.name } : {};
      const created = await post<ActivationLinkView>('/enroll/authenticator', body);
      setActivation(created);
      setStep('scan');
      while (alive.current) {
        const { status } = await get<ActivationStatusView>('/enroll/authenticator/status');
        if (status === 'activated') return setStep('done');
        if (status !== 'waiting') return setStep('expired');
      }
    } catch (caught) {
      setError(props.handle(caught));
    }
  }

  const title = props.replaces
    ? `Move "${props.replaces.name}" to a new phone`
    : 'Add the Countersign Authenticator';
  return (
    <section className="card" aria-labelledby="add-app-heading">
      <h1 id="add-app-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <ol className="steps" aria-label="Progress">
        <li aria-current={step === 'install' ? 'step' : undefined}>Install the app</li>
        <li aria-current={step === 'scan' ? 'step' : undefined}>Scan the QR code</li>
        <li aria-current={step === 'done' ? 'step' : undefined}>Done</li>
      </ol>
      {step === 'install' && (
        <>
          <h2>Step 1: install the app</h2>
          <p>
            On your phone, open <strong>{window.location.host}/app/</strong> in the browser and add it to your
            home screen (Share → “Add to Home Screen” on iPhone, menu → “Install app” on Android).
          </p>
          {props.replaces && (
            <p>The old phone stops working for sign-in as soon as the new one is activated.</p>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={showCode}>
              I have it installed
            </button>
            <button type="button" className="secondary" onClick={props.onBack}>
              Cancel
            </button>
          </div>
        </>
      )}
      {step === 'scan' && activation && (
        <>
          <h2>Step 2: scan this QR code with the app</h2>
          <img
            className="qr"
            src={activation.qr}
            alt="QR code that activates the Countersign Authenticator"
            width="240"
            height="240"
          />
          <p aria-live="polite">Waiting for the app… this page moves on by itself.</p>
          <details>
            <summary>Can't scan? Use the activation link instead</summary>
            <p>
              On the phone, open this link: <code className="wrap">{activation.link}</code>
            </p>
          </details>
        </>
      )}
      {step === 'done' && (
        <>
          <h2>Your phone is ready</h2>
          <p role="status">
            The Countersign Authenticator is activated. You will get sign-in requests on it.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={props.onBack}>
              Continue
            </button>
          </div>
        </>
      )}
      {step === 'expired' && (
        <>
          <p role="alert">The QR code expired. Please start again.</p>
          <div className="actions">
            <button type="button" className="primary" onClick={showCode}>
              Show a new QR code
            </button>
          </div>
        </>
      )}
      <ErrorText message={error} />
    </section>
  );
}
