// Outgoing e-mail as an interface; transports live beside it (outbox-mailer.ts, smtp-mailer.ts).
import type { NotifyLog } from './options.ts';

/** One message: plain text, and optionally the same as HTML (sent as multipart/alternative). */
export interface MailMessage {
  to: string | readonly string[];
  subject: string;
  text: string;
  html?: string;
}

/** Sends e-mail; rejects with an Error saying what went wrong. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes pooled connections (SMTP); the mailer is not used afterwards. */
  close?(): Promise<void>;
}

/** The recipients of `message` as a list. */
export function recipients(message: MailMessage): string[] {
  return typeof message.to === 'string' ? [message.to] : [...message.to];
}

/** A mailer for servers with no mail set up: the message goes to the log so nothing is lost silently. */
export function logMailer(log: NotifyLog): Mailer {
  return {
    async send(message) {
      log.warn(
        { to: recipients(message), subject: message.subject, text: message.text },
        'e-mail not sent (no mail transport configured): logged instead',
      );
    },
  };
}
