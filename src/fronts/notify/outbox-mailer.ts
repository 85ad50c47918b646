// A mailer that writes each message as an RFC 5322 .eml file into a folder (development and tests).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Random } from '../../core/clock.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-files.ts';
import { type Mailer, type MailMessage, recipients } from './mailer.ts';
import { addressOf } from './options.ts';

/** Thrown for a message that cannot be written safely (no recipient, a header broken across lines). */
export class MailFormatError extends Error {
  override name = 'MailFormatError';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC: `Mon, 02 Mar 2026 09:30:00 +0000`. */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** RFC 2047 §4.1 B-encoding for a header that is not plain printable ASCII. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?utf-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function headerValue(name: string, value: string): string {
  // A CR or LF inside a header would start a new header: refuse instead of letting input inject one.
  if (/[\r\n]/.test(value)) throw new MailFormatError(`the ${name} header must be one line`);
  return value;
}

export interface EmlEnvelope {
  from: string;
  dateMs: number;
  messageId: string;
  /** RFC 2046 §5.1.1 boundary of a multipart message (letters, digits, `-`, `_`); derived from the id if unset. */
  boundary?: string;
}

/** `text` with CRLF line ends and a final CRLF. */
function crlf(text: string): string {
  const body = text.replace(/\r\n|\r|\n/g, '\r\n');
  return `${body}${body.endsWith('\r\n') ? '' : '\r\n'}`;
}

/**
 * Renders `message` as RFC 5322 text with CRLF line ends: a UTF-8 plain-text body sent as 8bit, or with `html`
 * a multipart/alternative of the text and the HTML (RFC 2046 §5.1.4: the preferred, richer part last).
 */
export function formatEml(message: MailMessage, envelope: EmlEnvelope): string {
  const to = recipients(message);
  if (to.length === 0) throw new MailFormatError('an e-mail needs at least one recipient');
  const headers = [
    `From: ${headerValue('From', envelope.from)}`,
    `To: ${headerValue('To', to.join(', '))}`,
    `Subject: ${encodeHeader(headerValue('Subject', message.subject))}`,
    `Date: ${rfc5322Date(envelope.dateMs)}`,
    `Message-ID: <${envelope.messageId}>`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, content: string) =>
    `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${crlf(content)}`;
  if (message.html === undefined) return `${headers.join('\r\n')}\r\n${part('text/plain', message.text)}`;
  const boundary = `=_${envelope.boundary ?? envelope.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  headers.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
  return [
    `${headers.join('\r\n')}\r\n\r\n`,
    `--${boundary}\r\n${part('text/plain', message.text)}`,
    `--${boundary}\r\n${part('text/html', message.html)}`,
    `--${boundary}--\r\n`,
  ].join('');
}

/** Writes one `<time>-<random>.eml` per message into `dir` (created if missing); a file appears whole or not at all. */
export function outboxMailer(dir: string, deps: { clock: Clock; random: Random; from: string }): Mailer {
  const domain = addressOf(deps.from).split('@')[1] ?? 'localhost';
  return {
    async send(message) {
      const now = deps.clock.now();
      const id = deps.random.bytes(9).toString('base64url');
      const text = formatEml(message, {
        from: deps.from,
        dateMs: now,
        messageId: `${now}.${id}@${domain}`,
        boundary: id.replace(/[^A-Za-z0-9]/g, ''),
      });
      // Mail names users and carries links: owner-only, like everything in the data directory.
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      const name = `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
      const partial = join(dir, `.${name}.tmp`);
      await writeFile(partial, text, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
      await rename(partial, join(dir, name));
    },
  };
}
