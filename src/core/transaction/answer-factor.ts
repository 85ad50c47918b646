// Applies an answer to a factor's attempt (a device's signed push answer, a WebAuthn assertion) through the registry.
import { type AnswerInput, type InteractiveId, interactiveMethod } from '../../methods/registry.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import type { AuthTransaction } from '../model.ts';
import { decideAttempt } from './decide-attempt.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce } from './move-transaction.ts';
import { isFinal } from './states.ts';

/**
 * Decides the open transaction `txid` with `answer` to its attempt of method `methodId` and returns it in its
 * final state. An answer the method does not authenticate (forged, for another device) changes nothing and throws;
 * one past the login's expiry times it out (the caller sees state `timeout`).
 */
export async function answerFactor<Id extends InteractiveId>(
  deps: CoreDeps,
  txid: string,
  methodId: Id,
  answer: AnswerInput<Id>,
): Promise<AuthTransaction> {
  const method = interactiveMethod(methodId);
  const decided = await deps.store.atomically(async (repos) => {
    // Locked first: parallel answers for one user (failed assertions counted) are decided one after the other.
    const { tx, user, app } = await loadTransaction(repos, txid, { lockUser: true });
    // Before anything about the login is revealed: is this answer from the authenticator it waits for?
    await method.authenticate?.(repos, tx, answer, deps.clock.now());
    if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
    const policy = await policyFor(repos, app, user);
    if (!policy.allowedMethods.includes(method.id))
      throw new CountersignError('FACTOR_NOT_ALLOWED', method.id);
    const attempt = { repos, deps, tx, user, app, policy };
    const record = { factor: method.id, spend: method.spend };
    return decideAttempt(deps, attempt, record, () => method.verify!(attempt, answer));
  });
  await announce(deps, decided);
  await method.deliver?.(deps, decided);
  if (decided.state === 'fraud') await alertFraud(deps, decided);
  return decided;
}

/** Tells the administrators about a fraud report; a failing alert never fails the answer. */
async function alertFraud(deps: CoreDeps, tx: AuthTransaction): Promise<void> {
  const [user, app] = await Promise.all([
    deps.store.users.get(tx.userId),
    deps.store.applications.get(tx.applicationId),
  ]);
  if (user) await deps.notify.fraudReported({ user, app, tx }).catch(() => {});
}
