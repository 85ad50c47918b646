// "Report fraud" reaches the administrators: an e-mail to each configured address and an alert in the console.
import type { Clock } from '../../core/clock.ts';
import type { Application, AuthTransaction, User } from '../../core/model.ts';
import type { Alert, AlertLog } from './alert-log.ts';
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
  alerts: AlertLog;
  adminEmails: readonly string[];
  log: NotifyLog;
}

/** The e-mail administrators receive for `report`. */
export function fraudMail(report: FraudReport, to: readonly string[]): MailMessage {
  const application = report.app?.name ?? 'an unknown application';
  const ip = report.tx.ip ?? 'an unknown address';
  const time = new Date(report.tx.updatedAt).toISOString();
  const subject = `Fraud reported: ${report.user.username} denied a login to ${application} from ${ip} at ${time}`;
  const text = [
    `${report.user.username} answered a push with "report fraud": they did not start this login.`,
    '',
    `User:        ${report.user.username}${report.user.realName ? ` (${report.user.realName})` : ''}`,
    `Application: ${application}`,
    `IP address:  ${ip}`,
    `Time:        ${time}`,
    `Transaction: ${report.tx.id}`,
    '',
    "The user's password may be known to someone else. Pushes to this user are paused for a while;",
    'check the audit log and consider resetting the password.',
  ].join('\n');
  return { to, subject, text };
}

/** Sends the mail and stores the alert; each failure is logged, neither stops the other, nothing throws. */
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
      ? ctx.mailer.send(fraudMail(report, ctx.adminEmails))
      : Promise.resolve(ctx.log.info(where, 'fraud reported; no alerts.admin_emails configured to e-mail'));
  const [mailed, stored] = await Promise.allSettled([mail, ctx.alerts.record(alert)]);
  if (mailed.status === 'rejected')
    ctx.log.warn({ ...where, error: String(mailed.reason) }, 'fraud e-mail failed');
  if (stored.status === 'rejected')
    ctx.log.warn({ ...where, error: String(stored.reason) }, 'fraud alert not stored');
}
