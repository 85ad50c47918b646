// The `[mail]` checks one option at a time cannot make: what SMTP needs, and no password sent in the clear.
import type { Config } from '../../config.ts';
import { isLoopbackHost } from './smtp-mailer.ts';

/** Every problem with `mail` (empty when usable), worded like the other configuration errors. */
export function mailConfigErrors(mail: Config['mail']): string[] {
  const errors: string[] = [];
  const { smtp } = mail;
  if (mail.transport !== 'smtp') return errors;
  if (!smtp.host) errors.push("option 'mail.smtp.host' must be set when mail.transport is 'smtp'");
  if (smtp.password !== undefined && smtp.username === undefined)
    errors.push("option 'mail.smtp.username' must be set with 'mail.smtp.password'");
  // Without TLS the password and every message cross the network readable; only a relay on this host is fine.
  if (smtp.security === 'none' && smtp.host && !isLoopbackHost(smtp.host))
    errors.push(
      `option 'mail.smtp.security' must be 'starttls' or 'tls' for a server on another host but it's configured as "none" (host ${JSON.stringify(smtp.host)})`,
    );
  if (smtp.security === 'tls' && smtp.port === 587)
    errors.push(
      "option 'mail.smtp.port' is 587, which speaks STARTTLS: use security = 'starttls', or port 465 for 'tls'",
    );
  return errors;
}
