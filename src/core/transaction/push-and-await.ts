// Push and wait: sends a push and holds until the login is decided, for fronts that answer only at the end.

import type { PushOptions } from '../../methods/push/push-request.ts';
import type { CoreDeps } from '../deps.ts';
import type { AuthTransaction } from '../model.ts';
import { startFactor } from './start-factor.ts';
import { isFinal } from './states.ts';
import { watchTransaction } from './wait-for-change.ts';

export interface PushAndAwaitOptions extends PushOptions {
  /** The longest wait, on deps.clock; without it the push's own expiry ends the wait (the login times out). */
  maxMs?: number;
  /** Stops waiting when the caller goes away; the push stays out and can still be answered. */
  signal?: AbortSignal;
}

/**
 * Pushes a waiting transaction and returns it once it is final (answered, refused, timed out, decided on another
 * node), or as it stands when `maxMs` has passed or `signal` aborted. A push that cannot start throws as startFactor.
 */
export async function pushAndAwait(
  deps: CoreDeps,
  txid: string,
  { maxMs, signal, ...push }: PushAndAwaitOptions,
): Promise<AuthTransaction> {
  const deadline = maxMs === undefined ? Number.POSITIVE_INFINITY : deps.clock.now() + maxMs;
  const { tx: pushed } = await startFactor(deps, txid, 'push', push);
  if (isFinal(pushed.state)) return pushed;
  return watchTransaction(deps, txid, { until: (tx) => isFinal(tx.state), deadline, signal });
}
