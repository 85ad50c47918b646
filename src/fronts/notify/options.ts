// The notifier's settings as plain data (read from `[push]`, `[mail]` and `[alerts]` config), with their defaults.
import type { SmtpOptions } from './smtp-mailer.ts';

/** Where the notifier writes what it did: a pino-compatible subset, so Fastify's or the CLI's logger fits. */
export interface NotifyLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** Options as configured; every field may be left out. */
export interface NotifyOptions {
  /** `push.vapid_subject`: the `mailto:` or `https:` contact push services see (RFC 8292 §2.1). */
  vapidSubject?: string;
  /** `push.allow_http_endpoints`: accept `http://127.0.0.1` subscriptions (tests and benchmarks only). */
  allowHttpEndpoints?: boolean;
  /** `push.timeout_ms`: give up on a push service after this long. */
  pushTimeoutMs?: number;
  /** `alerts.admin_emails`: who is e-mailed when a user reports fraud. */
  adminEmails?: readonly string[];
  /** `mail.outbox_dir`: write each e-mail as an .eml file here instead of logging it. */
  outboxDir?: string;
  /** `mail.from`: the From address of every e-mail. */
  mailFrom?: string;
  /** `[mail.smtp]` when `mail.transport` is `smtp`: e-mail is then delivered over SMTP, not to the outbox. */
  smtp?: SmtpOptions;
  /** `mail.templates_dir`: the operator's e-mail templates (each missing one keeps its built-in default). */
  templatesDir?: string;
  /** `organization`: named in e-mails. */
  organization?: string;
}

/** Options with every default filled in. */
export type ResolvedNotifyOptions = Required<Omit<NotifyOptions, 'outboxDir' | 'smtp' | 'templatesDir'>> & {
  outboxDir: string | null;
  smtp: SmtpOptions | null;
  templatesDir: string | null;
};

export const NOTIFY_DEFAULTS = {
  vapidSubject: 'mailto:countersign@localhost',
  allowHttpEndpoints: false,
  pushTimeoutMs: 5_000,
  adminEmails: [] as readonly string[],
  outboxDir: null,
  mailFrom: 'Countersign <countersign@localhost>',
  smtp: null,
  templatesDir: null,
  organization: 'Countersign',
} satisfies ResolvedNotifyOptions;

/** Thrown for an option that cannot work; the message names the option and what it must be. */
export class NotifyOptionsError extends Error {
  override name = 'NotifyOptionsError';
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** Fills in defaults and checks the values; throws NotifyOptionsError naming the bad option. */
export function resolveNotifyOptions(options: NotifyOptions = {}): ResolvedNotifyOptions {
  const resolved: ResolvedNotifyOptions = {
    vapidSubject: options.vapidSubject ?? NOTIFY_DEFAULTS.vapidSubject,
    allowHttpEndpoints: options.allowHttpEndpoints ?? NOTIFY_DEFAULTS.allowHttpEndpoints,
    pushTimeoutMs: options.pushTimeoutMs ?? NOTIFY_DEFAULTS.pushTimeoutMs,
    adminEmails: [...(options.adminEmails ?? NOTIFY_DEFAULTS.adminEmails)],
    outboxDir: options.outboxDir ?? NOTIFY_DEFAULTS.outboxDir,
    mailFrom: options.mailFrom ?? NOTIFY_DEFAULTS.mailFrom,
    smtp: options.smtp ?? NOTIFY_DEFAULTS.smtp,
    templatesDir: options.templatesDir ?? NOTIFY_DEFAULTS.templatesDir,
    organization: options.organization ?? NOTIFY_DEFAULTS.organization,
  };
  // RFC 8292 §2.1: the subject is a mailto: or https: URI the push service can use to reach the operator.
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(resolved.vapidSubject)) {
    throw new NotifyOptionsError(
      `push.vapid_subject must be a mailto: address or an https:// URL, got '${resolved.vapidSubject}'`,
    );
  }
  if (!Number.isInteger(resolved.pushTimeoutMs) || resolved.pushTimeoutMs < 100) {
    throw new NotifyOptionsError(
      `push.timeout_ms must be a whole number of at least 100, got ${resolved.pushTimeoutMs}`,
    );
  }
  resolved.adminEmails.forEach((address, index) => {
    if (!EMAIL.test(address)) {
      throw new NotifyOptionsError(`alerts.admin_emails[${index}] is not an e-mail address: '${address}'`);
    }
  });
  if (!EMAIL.test(addressOf(resolved.mailFrom))) {
    throw new NotifyOptionsError(
      `mail.from must be an address like 'Name <user@host>', got '${resolved.mailFrom}'`,
    );
  }
  return resolved;
}

/** The bare address of `Name <user@host>` or `user@host`. */
export function addressOf(mailbox: string): string {
  return /<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox.trim();
}
