// Long-polling support: waits until a transaction changes past a known version, on this node or another.
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction } from '../model.ts';
import { transactionTopic } from './move-transaction.ts';

/** Returns the transaction once its version exceeds `sinceVersion`, or as it stands after `timeoutMs`. */
export async function waitForChange(
  deps: Pick<CoreDeps, 'store' | 'bus'>,
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
      const tx = await deps.store.transactions.get(txid);
      if (!tx) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
      const remaining = deadline - Date.now();
      if (tx.version > sinceVersion || remaining <= 0 || signal?.aborted) return tx;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, Math.max(0, tx.expiresAt - Date.now()) + 50));
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    unsubscribe();
  }
}
