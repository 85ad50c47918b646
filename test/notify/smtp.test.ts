// E-mail over SMTP delivered to a real SMTP server (the `smtp-server` package) this test starts: STARTTLS with a
// certificate from a throw-away CA, implicit TLS, AUTH PLAIN and LOGIN, a pool; the MIME checked as received.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { secureRandom } from '../../src/core/clock.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { loadMailTemplates } from '../../src/fronts/notify/mail-templates.ts';
import { type SmtpOptions, smtpMailer } from '../../src/fronts/notify/smtp-mailer.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import { headerParam, parseMime } from './mime.ts';

const USER = 'countersign';
const PASSWORD = 'smtp-Test-password-1';
const FROM = 'Example MFA <mfa@example.org>';

/** One message as the server received it, with what the session knew. */
interface Delivery {
  raw: string;
  from: string;
  to: string[];
  secure: boolean;
  user: string | undefined;
  authMethod: string | undefined;
}

interface TestSmtpServer {
  port: number;
  deliveries: Delivery[];
  connections: number;
  close(): Promise<void>;
}

async function startSmtp(
  certs: TestCertificates,
  options: Partial<SMTPServerOptions> = {},
): Promise<TestSmtpServer> {
  const { readFile } = await import('node:fs/promises');
  const deliveries: Delivery[] = [];
  const methods = new Map<string, string>();
  const state = { connections: 0 };
  const server = new SMTPServer({
    key: await readFile(certs.keyFile),
    cert: await readFile(certs.certFile),
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH is only offered once the session is encrypted (the default, spelt out).
    allowInsecureAuth: false,
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onAuth(auth, session, callback) {
      if (auth.username !== USER || auth.password !== PASSWORD)
        return callback(new Error('Invalid username or password'));
      methods.set(session.id, auth.method);
      return callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        deliveries.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          secure: session.secure,
          user: session.user,
          authMethod: methods.get(session.id),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    deliveries,
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('issue 13: e-mail over SMTP to a real server', () => {
  let certs: TestCertificates;
  let starttls: TestSmtpServer;
  let implicit: TestSmtpServer;
  const servers: TestSmtpServer[] = [];
  const options = (server: TestSmtpServer, overrides: Partial<SmtpOptions> = {}): SmtpOptions => ({
    host: '127.0.0.1',
    port: server.port,
    security: 'starttls',
    username: USER,
    password: PASSWORD,
    caPem: certs.caPem,
    pool: false,
    maxConnections: 1,
    timeoutMs: 5_000,
    ...overrides,
  });
  const extra = async (serverOptions: Partial<SMTPServerOptions>) => {
    const server = await startSmtp(certs, serverOptions);
    servers.push(server);
    return server;
  };

  before(async () => {
    certs = await createTestCertificates();
    starttls = await extra({});
    implicit = await extra({ secure: true });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await certs.remove();
  });

  test('STARTTLS + AUTH: a templated mail arrives as multipart/alternative, escaped in its HTML part only', async () => {
    const templates = loadMailTemplates();
    const mailer = smtpMailer(options(starttls), FROM);
    const values = {
      organization: 'Example & Sons',
      name: 'Ada <script>alert(1)</script>',
      username: 'ada',
      link: 'https://mfa.example.org/portal/enroll?code=abc&x=1',
      expires: '2026-03-09 09:30 UTC',
    };
    await mailer.send({ to: 'ada@example.org', ...templates.render('enrollment-link', values) });
    await mailer.close?.();
    const [delivery] = starttls.deliveries;
    assert.ok(delivery);
    assert.deepEqual(
      { secure: delivery.secure, user: delivery.user, from: delivery.from, to: delivery.to },
      { secure: true, user: USER, from: 'mfa@example.org', to: ['ada@example.org'] },
    );
    const message = parseMime(delivery.raw);
    assert.equal(message.headers.get('from'), FROM);
    assert.equal(message.headers.get('to'), 'ada@example.org');
    assert.equal(message.headers.get('subject'), 'Example & Sons: set up two-step sign-in');
    assert.match(message.headers.get('message-id') ?? '', /^<.+@.+>$/);
    assert.ok(message.headers.get('date'));
    assert.match(message.headers.get('content-type') ?? '', /^multipart\/alternative;/);
    assert.ok(headerParam(message.headers.get('content-type'), 'boundary'));
    const [plain, html] = message.parts;
    assert.match(plain?.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    assert.match(html?.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.ok(plain?.body.includes('Hello Ada <script>alert(1)</script>,'), plain?.body);
    assert.ok(plain?.body.includes('https://mfa.example.org/portal/enroll?code=abc&x=1'));
    assert.ok(html?.body.includes('Hello Ada &lt;script&gt;alert(1)&lt;/script&gt;,'), html?.body);
    assert.ok(html?.body.includes('href="https://mfa.example.org/portal/enroll?code=abc&amp;x=1"'));
    assert.ok(html?.body.includes('— Example &amp; Sons'));
    assert.doesNotMatch(html?.body ?? '', /<script>/);
  });

  test('AUTH LOGIN when the server offers only LOGIN, AUTH PLAIN when only PLAIN', async () => {
    for (const method of ['LOGIN', 'PLAIN']) {
      const server = await extra({ authMethods: [method] });
      const mailer = smtpMailer(options(server), FROM);
      await mailer.send({ to: 'a@example.org', subject: `via ${method}`, text: 'hello' });
      await mailer.close?.();
      assert.equal(server.deliveries[0]?.authMethod, method);
      assert.equal(server.deliveries[0]?.secure, true);
    }
  });

  test('implicit TLS (port 465 style) delivers a non-ASCII subject, RFC 2047 encoded', async () => {
    const mailer = smtpMailer(options(implicit, { security: 'tls' }), FROM);
    await mailer.send({
      to: ['a@example.org', 'b@example.org'],
      subject: 'Fraude signalée ✓',
      text: 'Réponse',
    });
    await mailer.close?.();
    const [delivery] = implicit.deliveries;
    assert.equal(delivery?.secure, true);
    assert.deepEqual(delivery?.to, ['a@example.org', 'b@example.org']);
    assert.match(delivery?.raw ?? '', /^Subject: =\?UTF-8\?[BQ]\?/im, 'encoded on the wire');
    const message = parseMime(delivery?.raw ?? '');
    assert.equal(message.headers.get('subject'), 'Fraude signalée ✓');
    assert.equal(message.body.trimEnd(), 'Réponse');
  });

  test('refusals: a wrong password, a server hiding STARTTLS, a certificate from an unknown CA', async () => {
    await assert.rejects(
      smtpMailer(options(starttls, { password: 'wrong' }), FROM).send({
        to: 'a@example.org',
        subject: 's',
        text: 't',
      }),
      /SMTP 127\.0\.0\.1:\d+: Invalid login: 535/,
    );
    // A man in the middle stripping STARTTLS must not get the password or the mail in the clear: a hidden
    // STARTTLS is tried anyway, a refused one ends the session.
    const hidden = await extra({ hideSTARTTLS: true, allowInsecureAuth: true });
    await smtpMailer(options(hidden), FROM).send({ to: 'a@example.org', subject: 's', text: 't' });
    assert.equal(hidden.deliveries[0]?.secure, true);
    const stripped = await extra({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    await assert.rejects(
      smtpMailer(options(stripped), FROM).send({ to: 'a@example.org', subject: 's', text: 't' }),
      /SMTP 127\.0\.0\.1:\d+: Error upgrading connection with STARTTLS/,
    );
    assert.deepEqual(stripped.deliveries, []);
    const { caPem: _, ...untrusted } = options(starttls);
    await assert.rejects(
      smtpMailer(untrusted, FROM).send({ to: 'a@example.org', subject: 's', text: 't' }),
      /certificate/i,
    );
  });

  test('a pool of two connections carries 30 messages sent at once', async () => {
    const server = await extra({});
    const mailer = smtpMailer(options(server, { pool: true, maxConnections: 2 }), FROM);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        mailer.send({ to: `u${i}@example.org`, subject: `n${i}`, text: 'x' }),
      ),
    );
    await mailer.close?.();
    assert.equal(server.deliveries.length, 30);
    assert.deepEqual(
      server.deliveries.map((d) => parseMime(d.raw).headers.get('subject')).sort(),
      Array.from({ length: 30 }, (_, i) => `n${i}`).sort(),
    );
    assert.ok(server.connections <= 2, `${server.connections} connections`);
  });

  test('configured with mail.transport = "smtp", the server sends its mail over SMTP (password from the environment)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'countersign-smtp-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, certs.caPem);
      const config = buildConfig(
        [
          `data_dir = ${JSON.stringify(join(dir, 'data'))}`,
          '[mail]',
          'transport = "smtp"',
          `from = ${JSON.stringify(FROM)}`,
          '[mail.smtp]',
          'host = "127.0.0.1"',
          `port = ${starttls.port}`,
          `username = "${USER}"`,
          `ca_file = ${JSON.stringify(caFile)}`,
        ].join('\n'),
        { COUNTERSIGN_SMTP_PASSWORD: PASSWORD },
      );
      const countersign = await openCountersign(config, { ring: newKeyRing(secureRandom) });
      const before = starttls.deliveries.length;
      try {
        await countersign.mailer?.send({ to: 'ops@example.org', subject: 'configured', text: 'over SMTP' });
      } finally {
        await countersign.close();
      }
      const delivery = starttls.deliveries[before];
      assert.equal(parseMime(delivery?.raw ?? '').headers.get('subject'), 'configured');
      assert.equal(delivery?.user, USER);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
