// Checks a typed passcode against every passcode method policy allows, spending it and counting failures.
import type { Attempt, Verdict } from '../../methods/method.ts';
import { passcodeMethods } from '../../methods/registry.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor, usableAuthenticators } from '../evaluate-access.ts';
import type { Application, Authenticator, AuthTransaction, BypassCode, Policy, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { decideAttempt } from './decide-attempt.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, type MoveOptions } from './move-transaction.ts';
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
  const policy = known?.policy ?? (await policyFor(repos, app, user));
  const attempt = { repos, deps, tx, user, app, policy };
  return decideAttempt(
    deps,
    attempt,
    { factor: 'passcode' },
    () => matchPasscode(attempt, code, known),
    options,
  );
}

/** The first passcode method policy allows that accepts (and spends) `code`; a miss is a counted failure. */
async function matchPasscode(
  { repos, deps, user, policy }: Attempt,
  code: string,
  known?: { authenticators: Authenticator[]; bypassCodes?: BypassCode[] },
): Promise<Verdict> {
  if (PASSCODE_PATTERN.test(code)) {
    const authenticators =
      known?.authenticators ?? usableAuthenticators(await repos.authenticators.listForUser(user.id), policy);
    for (const method of passcodeMethods(policy.allowedMethods)) {
      const match = await method.verifyPasscode!(repos, deps, user, authenticators, code, known);
      if (!match) continue;
      const data = { method: match.methodId };
      return { result: 'allow', authenticatorId: match.authenticatorId, reason: 'valid_passcode', data };
    }
  }
  return { result: 'deny', reason: 'invalid_passcode', counted: true };
}

/** Submits a passcode to a waiting transaction by id; returns the transaction in its final state. */
export async function submitPasscode(deps: CoreDeps, txid: string, code: string): Promise<AuthTransaction> {
  const moved = await deps.store.atomically(async (repos) => {
    // Locked first: parallel wrong codes for one user are counted one after the other (800-63B §5.2.2).
    const { tx, user, app } = await loadTransaction(repos, txid, { lockUser: true });
    return checkPasscode(repos, deps, tx, user, app, code);
  });
  await announce(deps, moved);
  return moved;
}
