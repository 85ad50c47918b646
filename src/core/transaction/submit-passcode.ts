// Checks a typed passcode against every passcode method policy allows, spending it and counting failures.
import { passcodeMethods } from '../../methods/registry.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor, usableAuthenticators } from '../evaluate-access.ts';
import type { Application, Authenticator, AuthTransaction, BypassCode, Policy, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, type MoveOptions, moveTransaction } from './move-transaction.ts';
import { isFinal } from './states.ts';

const PASSCODE_PATTERN = /^[0-9]{6,9}$/;

/**
 * Decides a waiting transaction with a passcode, inside an open database transaction. `known` is what the
 * access decision already read in it; `options.stored: false` says `tx` is not written yet (see moveTransaction).
 */
export async function checkPasscode(
  repos: Repositories,
  deps: CoreDeps,
  tx: AuthTransaction,
  user: User,
  app: Application,
  rawCode: string,
  known?: { policy: Policy; authenticators: Authenticator[]; bypassCodes?: BypassCode[] },
  options: MoveOptions = {},
): Promise<AuthTransaction> {
  if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} is ${tx.state}`);
  const code = rawCode.trim();
  const now = deps.clock.now();
  const base = { factor: 'passcode' };
  if (now >= tx.expiresAt)
    return moveTransaction(repos, deps, tx, user, { ...base, to: 'timeout', reason: 'timeout' }, options);
  // Another attempt may have locked the user since this transaction began: a valid code does not help then.
  if (user.status === 'locked_out') {
    return moveTransaction(
      repos,
      deps,
      tx,
      user,
      { ...base, to: 'locked_out', reason: 'locked_out' },
      options,
    );
  }

  const policy = known?.policy ?? (await policyFor(repos, app, user));
  if (PASSCODE_PATTERN.test(code)) {
    const authenticators =
      known?.authenticators ?? usableAuthenticators(await repos.authenticators.listForUser(user.id), policy);
    for (const method of passcodeMethods(policy.allowedMethods)) {
      const match = await method.verifyPasscode!(repos, deps, user, authenticators, code, known);
      if (!match) continue;
      await repos.users.recordSuccess(user.id, now);
      const proof = {
        factor: 'passcode',
        authenticatorId: match.authenticatorId,
        reason: 'valid_passcode',
      } as const;
      const move = { to: 'allow', proof, data: { ...tx.data, method: match.methodId } } as const;
      return moveTransaction(repos, deps, tx, user, move, options);
    }
  }
  // Committed with the answer: a crash can't forget a failure (800-63B §5.2.2).
  const { lockedOut } = await repos.users.recordFailure(user.id, now, policy.lockoutThreshold);
  const move = {
    ...base,
    to: lockedOut ? ('locked_out' as const) : ('deny' as const),
    reason: lockedOut ? 'locked_out' : 'invalid_passcode',
  };
  return moveTransaction(repos, deps, tx, user, move, options);
}

/** Submits a passcode to a waiting transaction by id; returns the transaction in its final state. */
export async function submitPasscode(deps: CoreDeps, txid: string, code: string): Promise<AuthTransaction> {
  const moved = await deps.store.atomically(async (repos) => {
    const { tx, user, app } = await loadTransaction(repos, txid);
    return checkPasscode(repos, deps, tx, user, app, code);
  });
  await announce(deps, moved);
  return moved;
}
