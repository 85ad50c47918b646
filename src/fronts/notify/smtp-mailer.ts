// A mailer that delivers over SMTP with nodemailer: STARTTLS or implicit TLS, AUTH, a pool of connections.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';
import { type Mailer, recipients } from './mailer.ts';
import { NotifyOptionsError } from './options.ts';

export interface SmtpOptions {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: string;
  /** PEM of a private CA the server's certificate chains to (public CAs are always trusted). */
  caPem?: string;
  pool: boolean;
  maxConnections: number;
  timeoutMs: number;
}

/** True for `localhost` and loopback addresses: the only hosts plain-text SMTP may go to. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The SMTP options from `[mail.smtp]`; the CA file is read here, so a missing one fails the start (NotifyOptionsError). */
export function smtpOptions(smtp: Config['mail']['smtp']): SmtpOptions {
  if (!smtp.host) throw new NotifyOptionsError('mail.smtp.host is not set');
  let caPem: string | undefined;
  if (smtp.ca_file !== undefined) {
    try {
      caPem = readFileSync(smtp.ca_file, 'utf8');
    } catch (error) {
      throw new NotifyOptionsError(
        `mail.smtp.ca_file '${smtp.ca_file}' cannot be read: ${(error as Error).message}`,
      );
    }
  }
  return {
    host: smtp.host,
    port: smtp.port,
    security: smtp.security,
    ...(smtp.username !== undefined && { username: smtp.username }),
    ...(smtp.password !== undefined && { password: smtp.password }),
    ...(caPem !== undefined && { caPem }),
    pool: smtp.pool,
    maxConnections: smtp.max_connections,
    timeoutMs: smtp.timeout_ms,
  };
}

/** Delivers through the SMTP server in `options`, From `from`; errors say what the server answered. */
export function smtpMailer(options: SmtpOptions, from: string): Mailer {
  // nodemailer (about 6 MiB of heap) loads with the first message, not with the server (issue 14, idle memory).
  let transport: Promise<Transporter> | undefined;
  const opened = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) => connect(createTransport)));
  const connect = (createTransport: typeof import('nodemailer').createTransport) =>
    createTransport({
      pool: options.pool as true,
      maxConnections: options.maxConnections,
      host: options.host,
      port: options.port,
      // `tls`: TLS from the first byte (RFC 8314 §3.3). `starttls`: refuse to go on if the server does not offer
      // STARTTLS (RFC 3207), so a stripped capability cannot downgrade the session to plain text.
      secure: options.security === 'tls',
      requireTLS: options.security === 'starttls',
      ignoreTLS: options.security === 'none',
      ...(options.username !== undefined && {
        auth: { user: options.username, pass: options.password ?? '' },
      }),
      tls: {
        minVersion: 'TLSv1.2',
        servername: isIP(options.host) ? undefined : options.host,
        ...(options.caPem !== undefined && { ca: options.caPem }),
      },
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      // Messages are built from templates only: never let a field pull in a local file or a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  return {
    async send(message) {
      const to = recipients(message);
      if (to.length === 0) throw new Error('an e-mail needs at least one recipient');
      try {
        await (await opened()).sendMail({
          from,
          to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined && { html: message.html }),
        });
      } catch (error) {
        // nodemailer's message says which step failed and quotes the server's reply (never the password).
        throw new Error(`SMTP ${options.host}:${options.port}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    async close() {
      (await transport)?.close();
    },
  };
}
