// Push-fatigue defences: one outstanding push, a cap since the last success, pauses after denial and fraud.
import type { Policy } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import type { ReasonFor } from './reasons.ts';

/** Why a push is refused: the reasons its transaction is denied with (a misspelling does not compile). */
export const PUSH_REFUSALS = [
  'push_outstanding',
  'push_limit',
  'fraud_pause',
  'recent_denial',
] as const satisfies readonly ReasonFor<'deny'>[];
export type PushRefusal = (typeof PUSH_REFUSALS)[number];

const MINUTE = 60_000;

/**
 * Why a push to `userId` must not go out now, or null when it may. `automatic`: not explicitly asked for.
 * Every rule is decided from aggregates over its whole time window, so refused requests (themselves
 * transactions) can never crowd the evidence out. Call it inside the database transaction that sends the push,
 * after `users.lock`, so two attempts for one user are decided one after the other.
 */
export async function checkPushLimits(
  repos: Repositories,
  userId: string,
  policy: Policy,
  now: number,
  options: { automatic: boolean; txid: string },
): Promise<PushRefusal | null> {
  const lookback =
    Math.max(policy.pushLimitWindowMinutes, policy.fraudPauseMinutes, policy.denialCooldownMinutes) * MINUTE;
  const activity = await repos.transactions.pushActivity(userId, now - lookback, now, options.txid);
  if (activity.outstanding > 0) return 'push_outstanding';
  if (activity.lastFraudAt !== null && activity.lastFraudAt > now - policy.fraudPauseMinutes * MINUTE) {
    return 'fraud_pause';
  }
  if (
    options.automatic &&
    activity.lastDenialAt !== null &&
    activity.lastDenialAt > now - policy.denialCooldownMinutes * MINUTE
  ) {
    return 'recent_denial';
  }
  const windowStart = Math.max(activity.lastSuccessAt ?? 0, now - policy.pushLimitWindowMinutes * MINUTE);
  const pushes = await repos.transactions.countPushesSince(userId, windowStart);
  return pushes >= policy.pushLimit ? 'push_limit' : null;
}
