// The rollout view: for each application its enforcement date and how many of its users have enrolled, who has not,
// and enrollment reminders to them. Every user may sign in to every application (there is no assignment), so an
// application's users are everyone who signs in (dashboard.ts, SIGNING_IN); its date is what differs.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { createActivation } from '../enrollment/create-activation.ts';
import { CountersignError } from '../errors.ts';
import type { Application, PolicyLayer, User } from '../model.ts';
import { resolvePolicy } from '../policy/resolve-policy.ts';
import type { Page } from '../repositories.ts';
import { enrollmentCounts, SIGNING_IN_FILTER } from './dashboard.ts';

export interface RolloutRow {
  app: Application;
  /** YYYY-MM-DD from the global and application layers (past or to come), or null when none is set. */
  enforcementDate: string | null;
  usersTotal: number;
  usersEnrolled: number;
}

/** Users who sign in and have no authenticator yet. */
const NOT_ENROLLED = { ...SIGNING_IN_FILTER, enrolled: false };

/** How long a reminder's activation link works. */
export const REMINDER_VALID_SECONDS = 7 * 86_400;

/** Every application (by name) with its enforcement date and enrollment counts. */
export async function rollout(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<RolloutRow[]> {
  const [apps, global, counts] = await Promise.all([
    deps.store.applications.list(),
    deps.store.settings.get<PolicyLayer>('policy'),
    enrollmentCounts(deps),
  ]);
  return apps.map((app) => ({
    app,
    enforcementDate: resolvePolicy(global, app.policy).enforcementDate,
    ...counts,
  }));
}

/** A page of the users of `app` who have not enrolled, in username order, and how many there are in all. */
export async function notEnrolled(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  _app: Application,
  page: Page,
): Promise<{ users: User[]; total: number }> {
  // The total from the enrollment counts (reused for a minute): a page's metadata need not count every user again.
  const [users, counts] = await Promise.all([
    deps.store.users.list(page, NOT_ENROLLED),
    enrollmentCounts(deps),
  ]);
  // A page that reaches past a stale total still says how far it got.
  const total = Math.max(counts.usersTotal - counts.usersEnrolled, page.offset + users.length);
  return { users, total };
}

/** Sends one reminder (the front's mailer): the user, the activation code for the link, when it expires. */
export type SendReminder = (user: User, link: { code: string; expiresAt: number }) => Promise<void>;

export interface ReminderResult {
  sent: number;
  withoutEmail: number;
  /** Reminders the mailer refused (the user's activation link was made but not delivered). */
  failed: number;
  /** Where the next batch starts among the users not enrolled, or null when this batch reached the end. */
  nextOffset: number | null;
}

/**
 * Reminds a batch of the users of `app` who have not enrolled: each with an e-mail address gets a fresh activation
 * link (replacing an unused one) by `send`. The batch and its outcome are in the administrator log.
 */
export async function sendEnrollmentReminders(
  deps: CoreDeps,
  actor: string,
  app: Application,
  batch: Page,
  send: SendReminder,
): Promise<ReminderResult> {
  const { users, total } = await notEnrolled(deps, app, batch);
  const result: ReminderResult = {
    sent: 0,
    withoutEmail: 0,
    failed: 0,
    nextOffset: batch.offset + users.length < total ? batch.offset + users.length : null,
  };
  for (const user of users) {
    if (!user.email) {
      result.withoutEmail++;
      continue;
    }
    if (await mailActivation(deps, actor, user, send)) result.sent++;
    else result.failed++;
  }
  await audit(deps.store, deps.clock.now(), {
    kind: 'admin',
    action: 'enrollment.remind',
    actor,
    applicationId: app.id,
    detail: {
      offset: batch.offset,
      sent: result.sent,
      withoutEmail: result.withoutEmail,
      failed: result.failed,
    },
  });
  return result;
}

/** Makes a fresh activation link for `user` (replacing an unused one) and mails it; false when the mailer refused. */
async function mailActivation(
  deps: CoreDeps,
  actor: string,
  user: User,
  send: SendReminder,
): Promise<boolean> {
  const { activation, code } = await createActivation(deps, actor, user, {
    validSeconds: REMINDER_VALID_SECONDS,
    byAdministrator: true,
  });
  try {
    await send(user, { code, expiresAt: activation.expiresAt });
    return true;
  } catch {
    return false;
  }
}

/**
 * E-mails one user an enrollment link, as a reminder does (the console's "send enrollment e-mail"). INVALID_INPUT
 * when the user has no e-mail address or is disabled; MAIL_FAILED when the mailer refused. Logged.
 */
export async function sendEnrollmentEmail(
  deps: CoreDeps,
  actor: string,
  user: User,
  send: SendReminder,
): Promise<void> {
  if (!user.email) throw new CountersignError('INVALID_INPUT', 'the user has no e-mail address');
  if (user.status === 'disabled') throw new CountersignError('INVALID_INPUT', 'the user is disabled');
  const delivered = await mailActivation(deps, actor, user, send);
  await audit(deps.store, deps.clock.now(), {
    kind: 'admin',
    action: 'enrollment.email',
    actor,
    userId: user.id,
    result: delivered ? 'ok' : 'failed',
    detail: { to: user.email },
  });
  if (!delivered) throw new CountersignError('MAIL_FAILED', user.email);
}
