// Holding a REST v1 request until its login is decided: a push sent and awaited, or a poll held to the end.
import type { CoreDeps } from '../../core/deps.ts';
import type { AuthTransaction } from '../../core/model.ts';
import { type PushOptions, startPush } from '../../core/transaction/start-push.ts';
import { isFinal } from '../../core/transaction/states.ts';
import { waitForChange } from '../../core/transaction/wait-for-change.ts';

/** Returns `tx` once it is final, or as it stands when `maxMs` has passed or the client went away. */
export async function awaitFinal(
  deps: CoreDeps,
  tx: AuthTransaction,
  maxMs: number,
  signal: AbortSignal,
): Promise<AuthTransaction> {
  const deadline = Date.now() + maxMs;
  let current = tx;
  while (!isFinal(current.state) && !signal.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    current = await waitForChange(deps, current.id, current.version, remaining, signal);
  }
  return current;
}

/**
 * Pushes a waiting transaction and holds until it is decided (or `maxMs`, or the client left). The one place
 * REST v1 waits on a push: the core's pushAndAwait replaces its body when it lands.
 */
export async function pushAndWait(
  deps: CoreDeps,
  txid: string,
  push: PushOptions,
  maxMs: number,
  signal: AbortSignal,
): Promise<AuthTransaction> {
  return awaitFinal(deps, await startPush(deps, txid, push), maxMs, signal);
}
