// "Report fraud" reaches the administrators: an e-mail to each configured address and an alert in the console.
import type { Clock } from '../../core/clock.ts';
import type { Application, AuthTransaction, User } from '../../core/model.ts';
import type { Alert, AlertLog } from './alert-log.ts';
import type { MailTemplates } from './mail-templates.ts';
import type { Mailer, MailMessage } from './mailer.ts';
import type { NotifyLog } from './options.ts';

export interface FraudReport {
  user: User;
  app: Application | null;
  tx: AuthTransaction;
}

export interface FraudAlertContext {
  clock: Clock;
  mailer: Mailer;
  templates: MailTemplates;
  organization: string;
  alerts: AlertLog;
  adminEmails: readonly string[];
  log: NotifyLog;
}

/** When and from where, as the fraud e-mails name them. */
function facts(report: FraudReport) {
  return {
    application: report.app?.name ?? 'an unknown application',
    ip: report.tx.ip ?? 'an unknown address',
    at: new Date(report.tx.updatedAt),
  };
}

/** The e-mail administrators receive for `report` (template `fraud-alert-admin`). */
export function fraudMail(
  ctx: Pick<FraudAlertContext, 'templates' | 'organization'>,
  report: FraudReport,
  to: readonly string[],
): MailMessage {
  const { application, ip, at } = facts(report);
  const { user } = report;
  return {
    to,
    ...ctx.templates.render('fraud-alert-admin', {
      organization: ctx.organization,
      username: user.username,
      user: `${user.username}${user.realName ? ` (${user.realName})` : ''}`,
      application,
      ip,
      time: at.toISOString(),
      txid: report.tx.id,
    }),
  };
}

/** The e-mail the user receives for their own report (template `fraud-alert-user`), or null without an address. */
export function userFraudMail(
  ctx: Pick<FraudAlertContext, 'templates' | 'organization'>,
  report: FraudReport,
): MailMessage | null {
  const { user } = report;
  if (!user.email) return null;
  const { application, ip, at } = facts(report);
  return {
    to: user.email,
    ...ctx.templates.render('fraud-alert-user', {
      organization: ctx.organization,
      name: user.realName ?? user.username,
      username: user.username,
      application,
      ip,
      time: `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    }),
  };
}

/** Mails the administrators and the user, and stores the alert; each failure is logged, none stops the others. */
export async function reportFraud(ctx: FraudAlertContext, report: FraudReport): Promise<void> {
  const alert: Alert = {
    at: ctx.clock.now(),
    kind: 'fraud',
    userId: report.user.id,
    username: report.user.username,
    application: report.app?.name ?? null,
    txid: report.tx.id,
    ip: report.tx.ip,
  };
  const where = { txid: report.tx.id, username: report.user.username };
  const mail =
    ctx.adminEmails.length > 0
      ? ctx.mailer.send(fraudMail(ctx, report, ctx.adminEmails))
      : Promise.resolve(ctx.log.info(where, 'fraud reported; no alerts.admin_emails configured to e-mail'));
  const toUser = userFraudMail(ctx, report);
  const [mailed, stored, told] = await Promise.allSettled([
    mail,
    ctx.alerts.record(alert),
    toUser ? ctx.mailer.send(toUser) : Promise.resolve(),
  ]);
  if (mailed.status === 'rejected')
    ctx.log.warn({ ...where, error: String(mailed.reason) }, 'fraud e-mail failed');
  if (stored.status === 'rejected')
    ctx.log.warn({ ...where, error: String(stored.reason) }, 'fraud alert not stored');
  if (told.status === 'rejected')
    ctx.log.warn({ ...where, error: String(told.reason) }, 'fraud e-mail to the user failed');
}
