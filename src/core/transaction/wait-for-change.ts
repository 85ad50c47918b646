// Long-polling support: waits until a transaction changes past a known version, on this node or another.
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction } from '../model.ts';
import { transactionTopic } from './move-transaction.ts';
import { settleExpired } from './settle-expired.ts';

/** The bus can drop a message while it reconnects: re-read at least this often. */
const POLL_MS = 2_000;

/** Returns the transaction once its version exceeds `sinceVersion`, or as it stands after `timeoutMs`. */
export async function waitForChange(
  deps: CoreDeps,
  txid: string,
  sinceVersion: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<AuthTransaction> {
  let wake: () => void = () => {};
  let woken = false;
  const unsubscribe = deps.bus.subscribe(transactionTopic(txid), () => {
    woken = true;
    wake();
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      woken = false;
      const stored = await deps.store.transactions.get(txid);
      if (!stored) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
      const tx = await settleExpired(deps, stored);
      const remaining = deadline - Date.now();
      if (tx.version > sinceVersion || remaining <= 0 || signal?.aborted) return tx;
      if (woken) continue;
      const untilExpiry = Math.max(0, tx.expiresAt - deps.clock.now()) + 20;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(remaining, untilExpiry, POLL_MS));
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    unsubscribe();
  }
}
