// Starts an attempt with a factor (a push, a WebAuthn challenge) on a waiting login, through the method registry.
import {
  type InteractiveId,
  interactiveMethod,
  type Shown,
  type StartInput,
} from '../../methods/registry.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import type { AuthTransaction } from '../model.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import { checkPushLimits } from './push-limits.ts';
import type { ReasonFor } from './reasons.ts';
import { isFinal } from './states.ts';

/**
 * Starts an attempt of method `methodId` on the waiting transaction `txid` and returns the transaction with what
 * the user is shown. An out-of-band request (a push) passes the push-fatigue limits first: a refusal ends the
 * login as `deny` with the reason; one that goes out moves the login to `pushed` and wakes the authenticator.
 */
export async function startFactor<Id extends InteractiveId>(
  deps: CoreDeps,
  txid: string,
  methodId: Id,
  input: StartInput<Id>,
): Promise<{ tx: AuthTransaction; shown: Shown<Id> | null }> {
  const method = interactiveMethod(methodId);
  const outcome = await deps.store.atomically(async (repos) => {
    // Attempts for one user are decided one at a time (every node, both databases): see checkPushLimits.
    const { tx, user, app } = await loadTransaction(repos, txid, { lockUser: true });
    if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
    const now = deps.clock.now();
    // A login left waiting past its expiry starts nothing (so push limits bound a push's life by its login's).
    if (now >= tx.expiresAt) throw new CountersignError('TRANSACTION_FINISHED', `${txid} expired`);
    const policy = await policyFor(repos, app, user);
    if (!policy.allowedMethods.includes(method.id))
      throw new CountersignError('FACTOR_NOT_ALLOWED', method.id);
    const challenge = await method.challenge!({ repos, deps, tx, user, app, policy }, input);
    const data = { ...tx.data, ...challenge.data };
    const { sent } = challenge;
    if (!sent) {
      // A challenge to answer in the browser: the login keeps waiting, its data now holds the challenge.
      const updated = await repos.transactions.update(tx.id, tx.version, { data }, now);
      if (!updated) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} changed meanwhile`);
      return { tx: updated, shown: challenge.shown, sent: false, changed: false };
    }
    // One request out at a time: a second push while one waits is no retry but a new login.
    if (tx.state !== 'awaiting_factor')
      throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
    const refusal = await checkPushLimits(repos, user.id, policy, now, { automatic: sent.automatic, txid });
    if (refusal) {
      const denied = await moveTransaction(repos, deps, tx, user, {
        to: 'deny',
        reason: refusal,
        factor: method.id,
      });
      return { tx: denied, shown: null, sent: false, changed: true };
    }
    const pushed = await moveTransaction(repos, deps, tx, user, {
      to: 'pushed',
      reason: sent.reason ?? 'pushed',
      factor: method.id,
      deviceId: sent.authenticatorId,
      expiresAt: sent.expiresAt,
      data,
    });
    return { tx: pushed, shown: challenge.shown, sent: true, changed: true };
  });
  // Only moves are announced: a challenge added to the data wakes no waiter.
  if (outcome.changed) await announce(deps, outcome.tx);
  if (outcome.sent) {
    const delivery = await method.deliver?.(deps, outcome.tx);
    if (delivery) return { tx: await refuseDelivery(deps, outcome.tx, delivery.refused), shown: null };
  }
  return { tx: outcome.tx, shown: outcome.shown };
}

/**
 * Ends a login whose request could not go out at all (a call the telephony limits refused) with `reason`, unless
 * it moved meanwhile; returns it as it then stands.
 */
async function refuseDelivery(
  deps: CoreDeps,
  sent: AuthTransaction,
  reason: ReasonFor<'deny'>,
): Promise<AuthTransaction> {
  const moved = await deps.store.atomically(async (repos) => {
    const { tx, user } = await loadTransaction(repos, sent.id, { lockUser: true });
    if (tx.version !== sent.version) return { tx, changed: false };
    const denied = await moveTransaction(repos, deps, tx, user, { to: 'deny', reason, factor: sent.factor! });
    return { tx: denied, changed: true };
  });
  if (moved.changed) await announce(deps, moved.tx);
  return moved.tx;
}
