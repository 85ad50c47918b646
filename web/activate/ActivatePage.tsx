// The activation page: install the app, then scan the activation QR code; moves on by itself once the phone is set up.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { SiteHeader } from '../shared/SiteHeader.tsx';
import { pageTitle, useBranding } from '../shared/use-branding.ts';
import type { ActivationStatus } from './poll-activation.ts';

export interface ActivatePageProps {
  code: string;
  serverUrl: string;
  /** Starts polling the activation's status; returns a stop function. */
  poll(onStatus: (status: ActivationStatus) => void): () => void;
}

/** Step by step: install, "I have it installed", the QR code, then done (or expired). */
export function ActivatePage({ code, serverUrl, poll }: ActivatePageProps) {
  const [installed, setInstalled] = useState(false);
  const [status, setStatus] = useState<ActivationStatus>('waiting');
  const scanHeading = useRef<HTMLHeadingElement>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);
  const valid = /^[A-Za-z0-9_-]{16,64}$/.test(code);
  const branding = useBranding(`${serverUrl}/branding`);
  const organization = branding?.organization ?? null;
  useEffect(() => {
    document.title = pageTitle('Set up the Countersign Authenticator', organization);
  }, [organization]);

  useEffect(() => (valid ? poll(setStatus) : undefined), [valid, poll]);
  useEffect(() => {
    if (installed) scanHeading.current?.focus();
  }, [installed]);
  useEffect(() => {
    if (status !== 'waiting') doneHeading.current?.focus();
  }, [status]);

  const appUrl = `${serverUrl}/app/`;
  const link = activationLink(serverUrl, code);
  let body: ReactNode;
  if (!valid) {
    body = (
      <section className="card">
        <h2 ref={doneHeading} tabIndex={-1}>
          This link is incomplete
        </h2>
        <p>Open the whole activation link you were given, or ask your administrator for a new one.</p>
      </section>
    );
  } else if (status === 'success') {
    body = (
      <section className="card done">
        <h2 ref={doneHeading} tabIndex={-1}>
          Your phone is activated
        </h2>
        <p>
          Login requests for this account will now appear in the Countersign Authenticator. You can close this
          page.
        </p>
      </section>
    );
  } else if (status === 'invalid') {
    body = (
      <section className="card">
        <h2 ref={doneHeading} tabIndex={-1}>
          This activation code has expired
        </h2>
        <p>It was already used or is too old. Ask your administrator for a new activation link.</p>
      </section>
    );
  } else {
    body = (
      <ol className="steps">
        <li className="card">
          <h2>Install the Countersign Authenticator</h2>
          {installed ? (
            <p>Done.</p>
          ) : (
            <>
              <p>
                On your phone, open <a href={appUrl}>{appUrl}</a> in the browser, then choose “Add to Home
                Screen” (or “Install app”).
              </p>
              <button type="button" className="primary" onClick={() => setInstalled(true)}>
                I have it installed
              </button>
            </>
          )}
        </li>
        {installed && (
          <li className="card">
            <h2 ref={scanHeading} tabIndex={-1}>
              Scan this code with your phone’s camera
            </h2>
            <img
              className="qr"
              src={`${serverUrl}/frame/qr?value=${encodeURIComponent(link)}`}
              alt="QR code of your activation link"
              width={300}
              height={300}
            />
            <p>Or open this link on your phone (in the app: Add account, then paste it):</p>
            <p className="link">
              <code>{link}</code>
            </p>
          </li>
        )}
      </ol>
    );
  }
  return (
    <>
      <SiteHeader branding={branding} fallback="Countersign" />
      <main>
        <h1>Set up the Countersign Authenticator</h1>
        {body}
        <p className="status" role="status" aria-live="polite">
          {valid && status === 'waiting' ? 'Waiting for your phone…' : ''}
        </p>
      </main>
    </>
  );
}
