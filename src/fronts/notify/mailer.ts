// Outgoing e-mail as an interface: fraud alerts now, user notices later; transports live beside it.
import type { NotifyLog } from './options.ts';

/** One plain-text message. */
export interface MailMessage {
  to: string | readonly string[];
  subject: string;
  text: string;
}

/** Sends e-mail; rejects with an Error saying what went wrong. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
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
