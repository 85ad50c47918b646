// Push-fatigue defences: one outstanding push, a cap since the last success, pauses after denial and fraud.
import type { AuthTransaction, Policy } from '../model.ts';
import type { Repositories } from '../repositories.ts';

export type PushRefusal = 'push_outstanding' | 'push_limit' | 'fraud_pause' | 'recent_denial';

const MINUTE = 60_000;

/** Why a push to `userId` must not go out now, or null when it may. `automatic`: not explicitly asked for. */
export async function checkPushLimits(
  repos: Repositories,
  userId: string,
  policy: Policy,
  now: number,
  options: { automatic: boolean; txid: string },
): Promise<PushRefusal | null> {
  const lookback =
    Math.max(policy.pushLimitWindowMinutes, policy.fraudPauseMinutes, policy.denialCooldownMinutes) * MINUTE;
  const recent = (await repos.transactions.listRecentForUser(userId, now - lookback, 200)).filter(
    (tx) => tx.id !== options.txid,
  );
  const pushes = recent.filter((tx) => tx.factor === 'push' && tx.deviceId !== null);
  if (pushes.some((tx) => tx.state === 'pushed' && tx.expiresAt > now)) return 'push_outstanding';
  if (recent.some((tx) => tx.state === 'fraud' && tx.updatedAt > now - policy.fraudPauseMinutes * MINUTE)) {
    return 'fraud_pause';
  }
  if (
    options.automatic &&
    pushes.some(
      (tx) =>
        tx.state === 'deny' &&
        tx.reason === 'denied' &&
        tx.updatedAt > now - policy.denialCooldownMinutes * MINUTE,
    )
  ) {
    return 'recent_denial';
  }
  const lastSuccess = recent.find((tx) => tx.state === 'allow')?.createdAt ?? 0;
  const windowStart = Math.max(lastSuccess, now - policy.pushLimitWindowMinutes * MINUTE);
  const sinceSuccess = pushes.filter((tx: AuthTransaction) => tx.createdAt >= windowStart);
  return sinceSuccess.length >= policy.pushLimit ? 'push_limit' : null;
}
