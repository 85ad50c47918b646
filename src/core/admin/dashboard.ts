// The console's dashboard: sign-ins per day by result, recent failures, open fraud reports, enrollment progress.
import type { CoreDeps } from '../deps.ts';
import type { UserStatus } from '../model.ts';
import type { UserFilter } from '../repositories.ts';

const DAY_MS = 86_400_000;

/** The audit action of a finished authentication (one per login, whatever the front). */
const AUTHENTICATION = 'authentication';

/** Users who sign in: everyone but the disabled (every user may use every application: there is no assignment). */
export const SIGNING_IN: readonly UserStatus[] = ['active', 'bypass', 'locked_out'];

/** Users who sign in, and of them those with at least one authenticator. */
export const SIGNING_IN_FILTER: UserFilter = { statuses: SIGNING_IN };

export interface DaySignIns {
  /** YYYY-MM-DD (UTC). */
  day: string;
  allow: number;
  deny: number;
  fraud: number;
}

export interface Dashboard {
  signIns: DaySignIns[];
  failures24h: number;
  fraudReportsOpen: number;
  enrollment: { usersTotal: number; usersEnrolled: number };
}

/** A stored result as the dashboard counts it: success is an allow, a fraud report is fraud, the rest deny. */
function bucket(result: string | null): 'allow' | 'deny' | 'fraud' {
  if (result === 'success') return 'allow';
  if (result === 'fraud') return 'fraud';
  return 'deny';
}

/** The settings key keeping the last enrollment counts and when they were made. */
export const ENROLLMENT_KEY = 'dashboard.enrollment';

/**
 * How long enrollment counts are reused: counting 100,000 users costs about 100 ms, and the dashboard and the
 * rollout screen are read far more often than a minute's enrollments change them.
 */
export const ENROLLMENT_REUSE_MS = 60_000;

/** How many users sign in and how many of them have enrolled a device (counted at most once a minute). */
export async function enrollmentCounts(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
): Promise<{ usersTotal: number; usersEnrolled: number }> {
  const now = deps.clock.now();
  const kept = await deps.store.settings.get<{ at: number; usersTotal: number; usersEnrolled: number }>(
    ENROLLMENT_KEY,
  );
  if (kept && now - kept.at >= 0 && now - kept.at < ENROLLMENT_REUSE_MS) {
    return { usersTotal: kept.usersTotal, usersEnrolled: kept.usersEnrolled };
  }
  const [usersTotal, usersEnrolled] = await Promise.all([
    deps.store.users.count(SIGNING_IN_FILTER),
    deps.store.users.count({ ...SIGNING_IN_FILTER, enrolled: true }),
  ]);
  await deps.store.settings.set(ENROLLMENT_KEY, { at: now, usersTotal, usersEnrolled });
  return { usersTotal, usersEnrolled };
}

/** The settings key keeping the counts of settled days (below). */
export const SETTLED_DAYS_KEY = 'dashboard.settled-days';

/**
 * A day is settled an hour after it ends: authentications are logged as they finish, so nothing more lands in it.
 * Its counts never change again and are kept, so the dashboard counts only the unsettled hours of a large log.
 */
const SETTLE_MS = 3_600_000;

/** Days kept in the settled counts (the dashboard's longest range). */
const KEPT_DAYS = 90;

type DayCounts = Omit<DaySignIns, 'day'>;

const AUTHENTICATIONS = { kind: 'auth' as const, actions: [AUTHENTICATION] };

/** Counts of the log between `from` and `to` by day start and bucket. */
async function countDays(deps: Pick<CoreDeps, 'store'>, from: number, to: number) {
  const counts = new Map<number, DayCounts>();
  for (const row of await deps.store.audit.countByDay({ ...AUTHENTICATIONS, from, to })) {
    const entry = counts.get(row.day) ?? { allow: 0, deny: 0, fraud: 0 };
    entry[bucket(row.result)] += row.count;
    counts.set(row.day, entry);
  }
  return counts;
}

/** Per-day counts from `from` (a day start) to `now`: settled days from the kept counts (counted once), the rest live. */
async function signInsSince(
  deps: Pick<CoreDeps, 'store'>,
  from: number,
  now: number,
): Promise<Map<number, DayCounts>> {
  const settledBefore = now - SETTLE_MS - ((now - SETTLE_MS) % DAY_MS);
  const kept = (await deps.store.settings.get<Record<string, DayCounts>>(SETTLED_DAYS_KEY)) ?? {};
  const result = new Map<number, DayCounts>();
  const missing: number[] = [];
  for (let day = from; day < settledBefore; day += DAY_MS) {
    const found = kept[String(day)];
    if (found) result.set(day, found);
    else missing.push(day);
  }
  if (missing.length > 0) {
    // One count over the missing days' span (they are usually contiguous: the first call, or a day that settled).
    const counted = await countDays(deps, missing[0]!, missing.at(-1)! + DAY_MS - 1);
    const next: Record<string, DayCounts> = {};
    for (const [day, counts] of Object.entries(kept)) {
      if (Number(day) >= settledBefore - KEPT_DAYS * DAY_MS) next[day] = counts;
    }
    for (const day of missing) {
      const counts = counted.get(day) ?? { allow: 0, deny: 0, fraud: 0 };
      result.set(day, counts);
      next[String(day)] = counts;
    }
    // Several nodes may do this at once: they write the same counts.
    await deps.store.settings.set(SETTLED_DAYS_KEY, next);
  }
  for (const [day, counts] of await countDays(deps, Math.max(from, settledBefore), now))
    result.set(day, counts);
  return result;
}

/** The dashboard over the last `days` UTC days, today included (every day listed, empty ones with zeros). */
export async function dashboard(deps: Pick<CoreDeps, 'store' | 'clock'>, days: number): Promise<Dashboard> {
  const now = deps.clock.now();
  const today = now - (now % DAY_MS);
  const from = today - (days - 1) * DAY_MS;
  const [perDay, failures24h, fraudReportsOpen, enrollment] = await Promise.all([
    signInsSince(deps, from, now),
    deps.store.audit.count({
      ...AUTHENTICATIONS,
      from: now - DAY_MS,
      to: now,
      results: ['deny', 'timeout', 'locked_out', 'fraud', 'error'],
    }),
    deps.store.alerts.countByStatus('open'),
    enrollmentCounts(deps),
  ]);
  const signIns: DaySignIns[] = [];
  for (let day = from; day <= today; day += DAY_MS) {
    signIns.push({
      day: new Date(day).toISOString().slice(0, 10),
      ...(perDay.get(day) ?? { allow: 0, deny: 0, fraud: 0 }),
    });
  }
  return { signIns, failures24h, fraudReportsOpen, enrollment };
}
