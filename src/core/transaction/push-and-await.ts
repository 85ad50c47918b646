// Start and wait: sends a push (or places a call) and holds until the login is decided, for fronts that answer
// only at the end.

import type { PushOptions } from '../../methods/push/push-request.ts';
import type { InteractiveId, StartInput } from '../../methods/registry.ts';
import type { CoreDeps } from '../deps.ts';
import type { AuthTransaction } from '../model.ts';
import { startFactor } from './start-factor.ts';
import { isFinal } from './states.ts';
import { watchTransaction } from './wait-for-change.ts';

/** How long to wait for an out-of-band answer. */
export interface AwaitOptions {
  /** The longest wait, on deps.clock; without it the request's own expiry ends the wait (the login times out). */
  maxMs?: number;
  /** Stops waiting when the caller goes away; the request stays out and can still be answered. */
  signal?: AbortSignal;
}

export interface PushAndAwaitOptions extends PushOptions, AwaitOptions {}

/**
 * Starts an out-of-band attempt of `methodId` (a push, a call) on a waiting transaction and returns it once it is
 * final (answered, refused, timed out, decided on another node), or as it stands when `maxMs` has passed or
 * `signal` aborted. An attempt that cannot start throws as startFactor.
 */
export async function startAndAwait<Id extends InteractiveId>(
  deps: CoreDeps,
  txid: string,
  methodId: Id,
  input: StartInput<Id>,
  { maxMs, signal }: AwaitOptions = {},
): Promise<AuthTransaction> {
  const deadline = maxMs === undefined ? Number.POSITIVE_INFINITY : deps.clock.now() + maxMs;
  const { tx: started } = await startFactor(deps, txid, methodId, input);
  if (isFinal(started.state)) return started;
  return watchTransaction(deps, txid, { until: (tx) => isFinal(tx.state), deadline, signal });
}

/** Pushes a waiting transaction and waits as startAndAwait does. */
export function pushAndAwait(
  deps: CoreDeps,
  txid: string,
  { maxMs, signal, ...push }: PushAndAwaitOptions,
): Promise<AuthTransaction> {
  return startAndAwait(deps, txid, 'push', push, {
    ...(maxMs !== undefined && { maxMs }),
    ...(signal !== undefined && { signal }),
  });
}
