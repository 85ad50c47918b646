// How fast logins may be started, per user and per source address: the brake under every push-fatigue rule.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { RateRule, Repositories } from '../repositories.ts';

/** Logins a user, and an address, may start per minute (each also the largest burst); 0 turns a limit off. */
export interface StartLimits {
  perUserPerMinute: number;
  perAddressPerMinute: number;
}

/** The configuration's defaults (see config.ts `[limits]`). */
export const DEFAULT_START_LIMITS: StartLimits = { perUserPerMinute: 20, perAddressPerMinute: 600 };

/** No limits: for tools and tests that start many logins on purpose. */
export const NO_START_LIMITS: StartLimits = { perUserPerMinute: 0, perAddressPerMinute: 0 };

/** Refusals of one key are summarised in the audit log at most this often. */
export const SUMMARY_INTERVAL_MS = 60_000;

const MINUTE = 60_000;

/** Which limit refused a start, and when an attempt would pass again. */
export interface StartRefusal {
  limit: 'user' | 'address';
  retryAfterMs: number;
}

function rule(perMinute: number): RateRule {
  return { intervalMs: MINUTE / perMinute, burst: perMinute };
}

/**
 * Counts one login start for `userId` from `ip` (inside the start's database transaction, so an admitted start
 * and its transaction commit together); returns the refusal, or null when the start may go on. A refused start
 * creates no transaction: its count is kept on the limit's row and summarised in the audit log.
 */
export async function admitStart(
  repos: Repositories,
  deps: Pick<CoreDeps, 'clock' | 'limits'>,
  input: { userId: string; ip: string | null },
): Promise<StartRefusal | null> {
  const now = deps.clock.now();
  const checks: Array<{ limit: StartRefusal['limit']; key: string; perMinute: number }> = [
    {
      limit: 'address',
      key: `address:${input.ip}`,
      perMinute: input.ip ? deps.limits.perAddressPerMinute : 0,
    },
    { limit: 'user', key: `user:${input.userId}`, perMinute: deps.limits.perUserPerMinute },
  ];
  const taken: typeof checks = [];
  for (const check of checks) {
    if (check.perMinute <= 0) continue;
    const decision = await repos.rateLimits.take(check.key, now, rule(check.perMinute));
    if (!decision.allowed) {
      // A refused start is no start: the limits that let it through get their attempt back, so one user's
      // flood cannot use up the budget of the address it shares with others.
      for (const passed of taken) await repos.rateLimits.giveBack(passed.key, rule(passed.perMinute));
      await summariseRefusals(repos, check.key, now, { dueOnly: true });
      return { limit: check.limit, retryAfterMs: decision.retryAfterMs };
    }
    taken.push(check);
  }
  return null;
}

/** The error a front answers a refused start with (HTTP 429, Duo's 42901, a RADIUS reject). */
export function startRefused(refusal: StartRefusal): CountersignError {
  return new CountersignError(
    'RATE_LIMITED',
    `too many logins started for this ${refusal.limit}; retry in ${Math.ceil(refusal.retryAfterMs / 1000)} s`,
    { retryAfterMs: refusal.retryAfterMs },
  );
}

/**
 * Writes one audit row for the pending refusals of `key` (with their count and time span) and marks them
 * summarised. With `dueOnly`, only when the oldest is at least SUMMARY_INTERVAL_MS old.
 */
export async function summariseRefusals(
  repos: Repositories,
  key: string,
  now: number,
  options: { dueOnly: boolean },
): Promise<boolean> {
  const pending = await repos.rateLimits.pendingRefusals(key);
  if (!pending) return false;
  if (options.dueOnly && now - pending.refusedSince < SUMMARY_INTERVAL_MS) return false;
  // Claim the refusals first: of two nodes summarising the same ones, only one writes the audit row.
  if (!(await repos.rateLimits.markSummarised(pending, now))) return false;
  const [kind, subject] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const meaning = LIMITED_KEYS[kind] ?? { action: 'rate_limited', reason: `too_many_${kind}`, subject: null };
  const userId = meaning.subject === 'user' ? subject : null;
  const user = userId !== null ? await repos.users.get(userId) : null;
  await audit(repos, now, {
    kind: 'auth',
    action: meaning.action,
    userId,
    username: user?.username ?? null,
    result: 'rate_limited',
    reason: meaning.reason,
    ip: meaning.subject === 'address' ? subject : null,
    detail: { count: pending.refused, since: pending.refusedSince, until: now },
  });
  return true;
}

/**
 * What the prefix of a rate-limited key (`<prefix>:<subject>`) stands for in the audit summary. Every limit on
 * the `rate_limits` table is listed here, since the once-a-minute summary reads all of them.
 */
export const LIMITED_KEYS: Readonly<
  Record<string, { action: string; reason: string; subject: 'user' | 'address' | null }>
> = {
  user: { action: 'authentication.rate_limited', reason: 'too_many_logins_for_user', subject: 'user' },
  address: {
    action: 'authentication.rate_limited',
    reason: 'too_many_logins_from_address',
    subject: 'address',
  },
  // src/telephony/telephony-limits.ts
  'telephony-user': {
    action: 'telephony.rate_limited',
    reason: 'too_many_messages_for_user',
    subject: 'user',
  },
  'telephony-all': { action: 'telephony.rate_limited', reason: 'too_many_messages', subject: null },
};

/**
 * Summarises every key whose refusals have waited SUMMARY_INTERVAL_MS, and forgets idle keys: run once a
 * minute, so the last refusals of an attack reach the audit log even when no further attempt comes.
 */
export async function summarisePendingRefusals(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  let written = 0;
  for (;;) {
    const due = await deps.store.rateLimits.listPendingRefusals(now - SUMMARY_INTERVAL_MS + 1, 100);
    if (due.length === 0) break;
    for (const { key } of due) {
      const done = await deps.store.atomically((repos) =>
        summariseRefusals(repos, key, now, { dueOnly: false }),
      );
      if (done) written++;
    }
  }
  await deps.store.rateLimits.purge(now);
  return written;
}
