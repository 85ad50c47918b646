// Decides a login with a factor's answer: too late is a timeout, a locked-out user stays out, else the verdict.
import type { Attempt, Verdict } from '../../methods/method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import type { AuthTransaction } from '../model.ts';
import { type FactorProof, type MoveOptions, moveTransaction } from './move-transaction.ts';

/** How one factor's answers are recorded: its name on the row and the data it leaves once decided. */
export interface AnswerRecord {
  factor: FactorProof['factor'];
  /** The transaction's data once the attempt is decided (a single-use challenge forgotten); unchanged if absent. */
  spend?: ((data: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

/**
 * Moves the attempt's open transaction (inside its database transaction) to its outcome: `timeout` past its
 * expiry, `locked_out` when another attempt locked the user meanwhile (a valid answer does not help then), else
 * what `judge` finds. An allow carries the factor's proof; a counted failure is committed with the answer, so a
 * crash cannot forget it (800-63B §5.2.2), and may lock the user.
 */
export async function decideAttempt(
  deps: Pick<CoreDeps, 'clock'>,
  attempt: Attempt,
  record: AnswerRecord,
  judge: () => Promise<Verdict>,
  options: MoveOptions = {},
): Promise<AuthTransaction> {
  const { repos, tx, user, policy } = attempt;
  const { factor } = record;
  const data = record.spend?.(tx.data);
  const kept = data === undefined ? {} : { data };
  const end = (outcome: { to: 'timeout'; reason: 'timeout' } | { to: 'locked_out'; reason: 'locked_out' }) =>
    moveTransaction(repos, deps, tx, user, { ...outcome, factor, ...kept }, options);
  const now = deps.clock.now();
  if (now >= tx.expiresAt) return end({ to: 'timeout', reason: 'timeout' });
  if (user.status === 'locked_out') return end({ to: 'locked_out', reason: 'locked_out' });

  const verdict = await judge();
  const withData = (extra: Record<string, unknown> | undefined) =>
    extra === undefined ? kept : { data: { ...(data ?? tx.data), ...extra } };
  switch (verdict.result) {
    case 'allow': {
      await repos.users.recordSuccess(user.id, now);
      const proof = { factor, authenticatorId: verdict.authenticatorId, reason: verdict.reason };
      return moveTransaction(
        repos,
        deps,
        tx,
        user,
        { to: 'allow', proof, ...withData(verdict.data) },
        options,
      );
    }
    case 'fraud': {
      const fraud = await moveTransaction(repos, deps, tx, user, {
        to: 'fraud',
        reason: verdict.reason,
        factor,
      });
      await audit(repos, now, {
        kind: 'fraud',
        action: `${factor}.fraud`,
        userId: user.id,
        username: user.username,
        applicationId: tx.applicationId,
        factor,
        result: 'fraud',
        ip: tx.ip,
        detail: { txid: tx.id, deviceId: tx.deviceId },
      });
      return fraud;
    }
    case 'deny': {
      const lockedOut =
        verdict.counted && (await repos.users.recordFailure(user.id, now, policy.lockoutThreshold)).lockedOut;
      const outcome = lockedOut
        ? ({ to: 'locked_out', reason: 'locked_out' } as const)
        : ({ to: 'deny', reason: verdict.reason } as const);
      const failed = {
        ...outcome,
        factor,
        ...(verdict.authenticatorId !== undefined && { deviceId: verdict.authenticatorId }),
        ...withData(verdict.data),
      };
      return moveTransaction(repos, deps, tx, user, failed, options);
    }
  }
}
