// What telephony may spend: per-user and global rate limits (GCRA on `rate_limits`) and the daily credit budget.
import type { Config } from '../config.ts';
import { CountersignError } from '../core/errors.ts';
import type { RateRule, Repositories } from '../core/repositories.ts';
import { smsSize } from './sms-segments.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The `[telephony]` options that price and limit sending. */
export type TelephonyCosts = Pick<
  Config['telephony'],
  | 'sms_credits'
  | 'call_credits_per_minute'
  | 'call_time_limit_seconds'
  | 'daily_credit_budget'
  | 'per_user_per_hour'
  | 'global_per_minute'
>;

/** The UTC day `ms` falls on, as the budget's key: `2026-03-02`. */
export function budgetDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds from `ms` to the next midnight UTC, when a spent budget is whole again. */
export function untilNextDay(ms: number): number {
  return DAY - (ms % DAY);
}

/** What an SMS costs: its segments times `sms_credits`. */
export function smsCredits(costs: TelephonyCosts, text: string): number {
  return smsSize(text).segments * costs.sms_credits;
}

/** What a call costs, charged up front: its time limit in minutes, rounded up, times the price of a minute. */
export function callCredits(costs: TelephonyCosts): number {
  return Math.ceil(costs.call_time_limit_seconds / 60) * costs.call_credits_per_minute;
}

/**
 * Counts one send against the user's and the global limit (keys `telephony-user:<id>`, `telephony-all:all`,
 * summarised in the audit log by src/core/limits/start-limits.ts); throws TELEPHONY_LIMITED when one refuses.
 */
export async function admitSend(
  repos: Pick<Repositories, 'rateLimits'>,
  costs: TelephonyCosts,
  userId: string | null,
  now: number,
): Promise<void> {
  const checks: Array<{ key: string; rule: RateRule | null; who: string }> = [
    {
      key: `telephony-user:${userId}`,
      rule:
        userId !== null && costs.per_user_per_hour > 0
          ? { intervalMs: HOUR / costs.per_user_per_hour, burst: costs.per_user_per_hour }
          : null,
      who: 'this user',
    },
    {
      key: 'telephony-all:all',
      rule:
        costs.global_per_minute > 0
          ? { intervalMs: MINUTE / costs.global_per_minute, burst: costs.global_per_minute }
          : null,
      who: 'this server',
    },
  ];
  const taken: Array<{ key: string; rule: RateRule }> = [];
  for (const check of checks) {
    if (check.rule === null) continue;
    const decision = await repos.rateLimits.take(check.key, now, check.rule);
    if (!decision.allowed) {
      // A refused send used no budget: the limits that let it through get their attempt back.
      for (const passed of taken) await repos.rateLimits.giveBack(passed.key, passed.rule);
      throw new CountersignError(
        'TELEPHONY_LIMITED',
        `too many messages and calls for ${check.who}; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s`,
        { retryAfterMs: decision.retryAfterMs },
      );
    }
    taken.push({ key: check.key, rule: check.rule });
  }
}

/** Charges `credits` to today's budget; throws TELEPHONY_BUDGET_EXCEEDED (retry at midnight UTC) when over. */
export async function chargeCredits(
  repos: Pick<Repositories, 'telephony'>,
  costs: TelephonyCosts,
  credits: number,
  now: number,
): Promise<void> {
  const budget = costs.daily_credit_budget > 0 ? costs.daily_credit_budget : null;
  if (await repos.telephony.spendCredits(budgetDay(now), credits, budget)) return;
  const spent = await repos.telephony.creditsSpent(budgetDay(now));
  throw new CountersignError(
    'TELEPHONY_BUDGET_EXCEEDED',
    `the daily credit budget (${budget}) would be exceeded: ${spent} spent today, this send costs ${credits}`,
    { retryAfterMs: untilNextDay(now) },
  );
}
