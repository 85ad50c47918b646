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

/** How many users sign in and how many of them have enrolled a device. */
export async function enrollmentCounts(
  deps: Pick<CoreDeps, 'store'>,
): Promise<{ usersTotal: number; usersEnrolled: number }> {
  const [usersTotal, usersEnrolled] = await Promise.all([
    deps.store.users.count(SIGNING_IN_FILTER),
    deps.store.users.count({ ...SIGNING_IN_FILTER, enrolled: true }),
  ]);
  return { usersTotal, usersEnrolled };
}

/** The dashboard over the last `days` UTC days, today included (every day listed, empty ones with zeros). */
export async function dashboard(deps: Pick<CoreDeps, 'store' | 'clock'>, days: number): Promise<Dashboard> {
  const now = deps.clock.now();
  const today = now - (now % DAY_MS);
  const from = today - (days - 1) * DAY_MS;
  const authentications = { kind: 'auth' as const, actions: [AUTHENTICATION] };
  const [perDay, failures24h, fraudReportsOpen, enrollment] = await Promise.all([
    deps.store.audit.countByDay({ ...authentications, from, to: now }),
    deps.store.audit.count({
      ...authentications,
      from: now - DAY_MS,
      to: now,
      results: ['deny', 'timeout', 'locked_out', 'fraud', 'error'],
    }),
    deps.store.alerts.countByStatus('open'),
    enrollmentCounts(deps),
  ]);
  const byDay = new Map<number, DaySignIns>();
  for (let day = from; day <= today; day += DAY_MS) {
    byDay.set(day, { day: new Date(day).toISOString().slice(0, 10), allow: 0, deny: 0, fraud: 0 });
  }
  for (const row of perDay) {
    const entry = byDay.get(row.day);
    if (entry) entry[bucket(row.result)] += row.count;
  }
  return { signIns: [...byDay.values()], failures24h, fraudReportsOpen, enrollment };
}
