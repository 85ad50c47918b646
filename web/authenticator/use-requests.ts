// Keeps the list of waiting requests: fetched on open and whenever the app becomes visible, and live over SSE.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceEvent, PendingRequest } from '../../src/device-protocol/messages.ts';
import type { Account } from './accounts-db.ts';
import { eventsUrl, fetchPending } from './device-api.ts';

/** A request shown in the app, with the account it is for. */
export interface ShownRequest {
  key: string;
  account: Account;
  request: PendingRequest;
}

export interface RequestFeed {
  requests: ShownRequest[];
  /** Takes a request off the list (answered here). */
  dismiss(key: string): void;
  /** Re-fetches every account's pending requests. */
  refresh(): Promise<void>;
}

export interface FeedEvents {
  /** A request not seen before arrived. */
  onNew(shown: ShownRequest): void;
  /** A shown request was settled elsewhere (timeout, another answer). */
  onResolved(shown: ShownRequest, state: string): void;
}

const RECONNECT_MS = 5000;

function keyOf(account: Account, txid: string): string {
  return `${account.id} ${txid}`;
}

/** The waiting requests of `accounts`, with a live channel per account while the app is open. */
export function useRequests(accounts: Account[], now: () => number, events: FeedEvents): RequestFeed {
  const [requests, setRequests] = useState<ShownRequest[]>([]);
  const listeners = useRef(events);
  listeners.current = events;

  const requestsRef = useRef(requests);
  requestsRef.current = requests;
  const known = useRef(new Set<string>());
  const answered = useRef(new Set<string>());

  const merge = useCallback((account: Account, incoming: PendingRequest[], replace: boolean) => {
    const shown = incoming
      .map((request) => ({ key: keyOf(account, request.txid), account, request }))
      .filter((item) => !answered.current.has(item.key));
    const fresh = shown.filter((item) => !known.current.has(item.key));
    for (const item of fresh) known.current.add(item.key);
    setRequests((current) => {
      const kept = replace ? current.filter((item) => item.account.id !== account.id) : current;
      const added = shown.filter((item) => !kept.some((old) => old.key === item.key));
      return [...kept, ...added].sort((a, b) => a.request.createdAt - b.request.createdAt);
    });
    for (const item of fresh) listeners.current.onNew(item);
  }, []);

  const refresh = useCallback(async () => {
    await Promise.all(
      accounts.map(async (account) => {
        try {
          merge(account, await fetchPending(account, now()), true);
        } catch {
          // Offline or refused: keep what is shown; the next visibility change or reconnect tries again.
        }
      }),
    );
  }, [accounts, merge, now]);

  const dismiss = useCallback((key: string) => {
    answered.current.add(key);
    setRequests((current) => current.filter((item) => item.key !== key));
  }, []);

  // Fetch on open and whenever the app comes back to the foreground: a lost push never loses a request.
  useEffect(() => {
    void refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onVisible);
    };
  }, [refresh]);

  // One live channel per account. Its URL's ticket opens it once, so every reconnect buys a new ticket.
  useEffect(() => {
    const stops = accounts.map((account) => {
      let source: EventSource | null = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const retry = () => {
        if (!stopped) timer = setTimeout(() => void connect(), RECONNECT_MS);
      };
      const connect = async () => {
        let url: string;
        try {
          url = await eventsUrl(account, now());
        } catch {
          retry(); // offline or refused: try again, as after a dropped stream
          return;
        }
        if (stopped) return;
        source = new EventSource(url);
        source.addEventListener('open', () => {
          // Anything that arrived while disconnected.
          fetchPending(account, now()).then(
            (list) => merge(account, list, true),
            () => {},
          );
        });
        source.addEventListener('request', (message) => {
          const event = JSON.parse((message as MessageEvent<string>).data) as DeviceEvent;
          if (event.type === 'request') merge(account, [event.request], false);
        });
        source.addEventListener('resolved', (message) => {
          const event = JSON.parse((message as MessageEvent<string>).data) as DeviceEvent;
          if (event.type !== 'resolved') return;
          const key = keyOf(account, event.txid);
          const shown = requestsRef.current.find((item) => item.key === key);
          answered.current.add(key);
          setRequests((current) => current.filter((item) => item.key !== key));
          if (shown) listeners.current.onResolved(shown, event.state);
        });
        source.addEventListener('error', () => {
          // EventSource would reconnect by itself with the same URL, whose ticket is spent: close, buy a new one.
          source?.close();
          retry();
        });
      };
      void connect();
      return () => {
        stopped = true;
        clearTimeout(timer);
        source?.close();
      };
    });
    return () => {
      for (const stop of stops) stop();
    };
  }, [accounts, merge, now]);

  return { requests, dismiss, refresh };
}
