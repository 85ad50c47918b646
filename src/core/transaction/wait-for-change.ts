// Long-polling support: waits until a transaction changes or ends, on this node or another, in deps.clock's time.
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction } from '../model.ts';
import { transactionTopic } from './move-transaction.ts';
import { settleExpired } from './settle-expired.ts';
import { isFinal } from './states.ts';
import { sweepWaiter, type Waiter } from './watch-sweep.ts';

export interface WatchOptions {
  /** The wait is over once this holds for the transaction as read. */
  until: (tx: AuthTransaction) => boolean;
  /** When (deps.clock milliseconds) to give up and return the transaction as it stands. */
  deadline: number;
  /** Stops the wait (the caller went away). */
  signal?: AbortSignal | undefined;
}

/**
 * Re-reads the transaction (settling an expired one) on every bus message about it and whenever the sweep finds it
 * changed, its deadline or expiry passed on deps.clock (checked every SWEEP_MS with every other waiter, in one
 * query: watch-sweep.ts), and returns it once `until` holds, the deadline has passed, or `signal` aborted. A message
 * from this node carries the row it committed, which is taken instead of reading it back.
 */
export async function watchTransaction(
  deps: CoreDeps,
  txid: string,
  { until, deadline, signal }: WatchOptions,
): Promise<AuthTransaction> {
  let wake: () => void = () => {};
  let woken = false;
  /** The newest row a message carried since the last look; null when the next look must read the store. */
  let carried: AuthTransaction | null = null;
  const waiter: Waiter = {
    txid,
    seenVersion: -1,
    wakeAt: deadline,
    clock: deps.clock,
    wake: () => {
      woken = true;
      wake();
    },
  };
  const unsubscribe = deps.bus.subscribe(transactionTopic(txid), ({ committed }) => {
    // Never a row older than one already seen: announcements of one transaction need not arrive in order.
    if (committed?.id === txid && committed.version > Math.max(waiter.seenVersion, carried?.version ?? -1))
      carried = committed;
    waiter.wake();
  });
  const unswept = sweepWaiter(deps.store.transactions, waiter);
  try {
    for (;;) {
      woken = false;
      const taken: AuthTransaction | null = carried;
      carried = null;
      const stored = taken ?? (await deps.store.transactions.get(txid));
      if (!stored) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
      const tx = await settleExpired(deps, stored);
      waiter.seenVersion = Math.max(waiter.seenVersion, stored.version, tx.version);
      const now = deps.clock.now();
      if (until(tx) || now >= deadline || signal?.aborted) return tx;
      if (woken) continue;
      // Looked at again once an open transaction expires, so it is settled (timeout) without a message.
      waiter.wakeAt = isFinal(tx.state) ? deadline : Math.min(deadline, tx.expiresAt);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        // On the real clock the deadline comes by this timer; a manual clock moved past it, by the next sweep.
        // 20 ms past an expiry, so the timer never fires just before it on a clock that rounds differently.
        const delay = waiter.wakeAt - now + (waiter.wakeAt < deadline ? 20 : 0);
        const timer = setTimeout(done, Math.max(0, delay));
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    unswept();
    unsubscribe();
  }
}

/** Returns the transaction once its version exceeds `sinceVersion`, or as it stands after `timeoutMs` (deps.clock). */
export function waitForChange(
  deps: CoreDeps,
  txid: string,
  sinceVersion: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<AuthTransaction> {
  return watchTransaction(deps, txid, {
    until: (tx) => tx.version > sinceVersion,
    deadline: deps.clock.now() + timeoutMs,
    signal,
  });
}
