// The Authenticator's screen: waiting requests first, then each account's passcode, then "Add account".
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Decision } from '../../src/device-protocol/messages.ts';
import { SiteHeader } from '../shared/SiteHeader.tsx';
import { useBranding } from '../shared/use-branding.ts';
import type { Account, AccountStore } from './accounts-db.ts';
import { addAccount } from './add-account.ts';
import { AccountCard } from './components/AccountCard.tsx';
import { AddAccountForm } from './components/AddAccountForm.tsx';
import { RequestCard } from './components/RequestCard.tsx';
import { DeviceApiError, sendAnswer } from './device-api.ts';
import { readAppHash } from './hash-route.ts';
import { type ShownRequest, useRequests } from './use-requests.ts';

const now = () => Date.now();

/** The server that serves the app (at <server>/app/): its name and logo head the page. */
const BRANDING_URL = new URL('../branding', window.location.href).href;

/** What the user is told after an answer (also read out by the live region). */
function resultText(decision: Decision, state: string, application: string): string {
  if (state === 'allow') return `Approved. You are being signed in to ${application}.`;
  if (state === 'fraud')
    return `Reported as fraud. The login to ${application} was denied and your administrator was told.`;
  if (state === 'timeout') return `The request from ${application} expired.`;
  if (decision === 'approve') return `Denied: the number did not match the login screen of ${application}.`;
  return `Denied. The login to ${application} was refused.`;
}

/** The whole app; `store` holds the accounts. */
export function App({ store }: { store: AccountStore }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [message, setMessage] = useState<{ text: string; serial: number }>({ text: '', serial: 0 });
  const [adding, setAdding] = useState(false);
  const [clock, setClock] = useState(now());
  const branding = useBranding(BRANDING_URL);
  const [focusTxid, setFocusTxid] = useState<string | null>(null);
  const answering = useRef(new Set<string>());

  const announce = useCallback((text: string) => {
    setMessage((old) => ({ text, serial: old.serial + 1 }));
  }, []);

  useEffect(() => {
    store.list().then(setAccounts, () => setAccounts([]));
  }, [store]);
  useEffect(() => {
    const timer = setInterval(() => setClock(now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const feed = useRequests(accounts ?? [], now, {
    onNew: (shown) =>
      announce(`New ${shown.request.type.toLowerCase()} request from ${shown.request.application}.`),
    onResolved: (shown, state) => {
      if (answering.current.has(shown.key)) return;
      announce(
        state === 'timeout'
          ? `The request from ${shown.request.application} expired.`
          : `The request from ${shown.request.application} was answered elsewhere.`,
      );
    },
  });

  const add = useCallback(
    async (text: string) => {
      setAdding(true);
      announce('Adding the account…');
      try {
        const account = await addAccount(text, store, now);
        setAccounts(await store.list());
        announce(`Account added: ${account.username} at ${account.organization}.`);
      } catch (error) {
        const why =
          error instanceof DeviceApiError && error.status === 400
            ? 'This activation link is not valid: it was already used, or it expired. Ask for a new one.'
            : (error as Error).message;
        announce(`The account was not added. ${why}`);
        throw new Error(why);
      } finally {
        setAdding(false);
      }
    },
    [store, announce],
  );

  // Links: #activate=… (the QR code) and #request=… (a notification); the service worker posts the latter too.
  const [activationError, setActivationError] = useState('');
  const hashRead = useRef(false);
  useEffect(() => {
    if (accounts === null || hashRead.current) return;
    hashRead.current = true;
    const route = readAppHash(window.location.hash);
    if (route.kind === 'none') return;
    // The code is single use: drop it from the address bar so a reload does not try it again.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    if (route.kind === 'request') {
      setFocusTxid(route.txid);
      return;
    }
    const link = `${window.location.origin}${window.location.pathname}${route.fragment}`;
    add(link).catch((error: unknown) => setActivationError((error as Error).message));
  }, [accounts, add]);
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; txid?: string } | null;
      if (data?.type === 'open-request' && typeof data.txid === 'string') {
        setFocusTxid(data.txid);
        void feed.refresh();
      }
    };
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => navigator.serviceWorker?.removeEventListener('message', onMessage);
  }, [feed.refresh]);

  const answer = async (shown: ShownRequest, decision: Decision, code: string) => {
    answering.current.add(shown.key);
    try {
      const { state } = await sendAnswer(shown.account, shown.request.txid, decision, code, now());
      announce(resultText(decision, state, shown.request.application));
    } catch (error) {
      if (error instanceof DeviceApiError && (error.status === 409 || error.status === 404)) {
        announce(`This request from ${shown.request.application} has expired or was already answered.`);
      } else {
        announce(`The answer was not sent: ${(error as Error).message}`);
        answering.current.delete(shown.key);
        return;
      }
    }
    feed.dismiss(shown.key);
  };

  const waiting = feed.requests.filter((shown) => shown.request.expiresAt > clock);
  return (
    <>
      <SiteHeader branding={branding} fallback="Countersign" />
      <main>
        <h1 className="app-title">Countersign Authenticator</h1>
        <p className="status" role="status" aria-live="polite" aria-atomic="true" key={message.serial}>
          {message.text}
        </p>
        <section aria-labelledby="requests-title" className="requests">
          <h2 id="requests-title">Requests</h2>
          {waiting.length === 0 ? (
            <p className="empty">No login requests are waiting.</p>
          ) : (
            waiting.map((shown) => (
              <RequestCard
                key={shown.key}
                shown={shown}
                focusRequested={focusTxid === shown.request.txid}
                onAnswer={(decision, code) => answer(shown, decision, code)}
              />
            ))
          )}
        </section>
        <section aria-labelledby="accounts-title" className="accounts">
          <h2 id="accounts-title">Accounts</h2>
          {accounts === null ? (
            <p className="empty">Loading…</p>
          ) : accounts.length === 0 ? (
            <p className="empty">No accounts yet. Add one below.</p>
          ) : (
            accounts.map((account) => <AccountCard key={account.id} account={account} now={clock} />)
          )}
        </section>
        {activationError && (
          <p className="error" role="alert">
            {activationError}
          </p>
        )}
        <AddAccountForm onAdd={add} busy={adding} />
      </main>
    </>
  );
}
