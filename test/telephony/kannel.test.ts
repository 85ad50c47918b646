// Kannel end to end: a real bearerbox + smsbox started here, whose HTTP SMSC delivers to a receiver this test runs.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { buildConfig } from '../../src/config.ts';
import { manualClock, secureRandom } from '../../src/core/clock.ts';
import { confirmPhone, sendPhoneConfirmation } from '../../src/core/enrollment/phone-number.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createProvider } from '../../src/telephony/create-provider.ts';
import { type KannelSettings, kannelProvider } from '../../src/telephony/kannel/kannel-provider.ts';
import { createTelephony } from '../../src/telephony/telephony.ts';
import { createTestApp, createTestUser, startTestServer } from '../support/server.ts';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';
const SKIP =
  existsSync(BEARERBOX) && existsSync(SMSBOX) ? false : `${BEARERBOX} not found: install Debian's kannel`;

/** A message as the SMSC side received it, its text decoded from the charset Kannel named. */
interface Delivered {
  to: string;
  from: string;
  text: string;
  coding: string;
  smscUser: string;
  smscPassword: string;
}

/** Percent-decodes a query value to bytes (`+` is a space): Kannel sends UCS-2 text as raw UTF-16BE bytes. */
function queryBytes(value: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '%') {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c === '+' ? 0x20 : c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

function parseDelivery(url: string): Delivered {
  const query = url.slice(url.indexOf('?') + 1);
  const raw = new Map(
    query.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const field = (name: string) => queryBytes(raw.get(name) ?? '').toString('utf8');
  const charset = field('charset').toLowerCase() || 'utf-8';
  return {
    to: field('to'),
    from: field('from'),
    text: new TextDecoder(charset).decode(queryBytes(raw.get('text') ?? '')),
    coding: field('coding'),
    smscUser: field('username'),
    smscPassword: field('password'),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until `check` passes, for a process starting up; fails with `what` and its log after `limitMs`. */
async function waitFor(what: string, check: () => Promise<boolean>, log: string, limitMs = 30_000) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  const tail = await readFile(log, 'utf8').catch(() => '(no log)');
  throw new Error(`${what} did not start within ${limitMs} ms; its log ends:\n${tail.slice(-2000)}`);
}

describe('issue 13: SMS through a real Kannel (bearerbox + smsbox)', { skip: SKIP }, () => {
  const delivered: Delivered[] = [];
  const waiting: Array<() => void> = [];
  let receiver: Server;
  let dir: string;
  const boxes: ChildProcess[] = [];
  let settings: KannelSettings;

  /** Resolves with the next message the SMSC receives. */
  function nextDelivery(): Promise<Delivered> {
    const index = delivered.length + waiting.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Kannel delivered nothing within 30 s')), 30_000);
      waiting.push(() => {
        clearTimeout(timer);
        resolve(delivered[index]!);
      });
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'countersign-kannel-'));
    receiver = createServer((request, response) => {
      delivered.push(parseDelivery(request.url ?? ''));
      waiting.shift()?.();
      // What an SMSC's HTTP interface answers Kannel's "kannel" system-type: 202 means sent.
      response.writeHead(202, { 'content-type': 'text/plain' }).end('Sent.');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverPort = (receiver.address() as AddressInfo).port;
    const [admin, smsboxPort, sendsms, smscPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const conf = join(dir, 'kannel.conf');
    await writeFile(
      conf,
      [
        'group = core',
        `admin-port = ${admin}`,
        'admin-password = test-admin',
        'admin-allow-ip = "127.0.0.1"',
        `smsbox-port = ${smsboxPort}`,
        'box-allow-ip = "127.0.0.1"',
        `log-file = "${join(dir, 'bearerbox.log')}"`,
        'log-level = 1',
        '',
        'group = smsc',
        'smsc = http',
        'smsc-id = receiver',
        'system-type = kannel',
        `send-url = "http://127.0.0.1:${receiverPort}/send"`,
        `port = ${smscPort}`,
        'connect-allow-ip = "127.0.0.1"',
        'smsc-username = smsc-user',
        'smsc-password = smsc-secret',
        '',
        'group = smsbox',
        'bearerbox-host = 127.0.0.1',
        `sendsms-port = ${sendsms}`,
        `log-file = "${join(dir, 'smsbox.log')}"`,
        'log-level = 1',
        '',
        'group = sendsms-user',
        'username = countersign',
        'password = kannel-test-pw',
        'user-allow-ip = "127.0.0.1"',
        '',
      ].join('\n'),
    );
    const start = (binary: string, name: string) => {
      const child = spawn(binary, [conf], { cwd: dir, stdio: 'ignore' });
      boxes.push(child);
      child.on('error', (error) => assert.fail(`${name}: ${error.message}`));
    };
    start(BEARERBOX, 'bearerbox');
    await waitFor(
      'bearerbox',
      async () => (await fetch(`http://127.0.0.1:${admin}/status.txt?password=test-admin`)).ok,
      join(dir, 'bearerbox.log'),
    );
    start(SMSBOX, 'smsbox');
    await waitFor(
      'smsbox',
      async () => (await fetch(`http://127.0.0.1:${sendsms}/cgi-bin/sendsms`)).status > 0,
      join(dir, 'smsbox.log'),
    );
    settings = {
      sendsmsUrl: `http://127.0.0.1:${sendsms}/cgi-bin/sendsms`,
      username: 'countersign',
      password: 'kannel-test-pw',
      from: '+15550001111',
      smsc: 'receiver',
      timeoutMs: 10_000,
    };
  });

  after(async () => {
    // smsbox first, then bearerbox: each is ours, ended by its own pid.
    for (const child of boxes.reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  test('a passcode SMS arrives at the SMSC with its text, receiver and sender', async () => {
    const arrival = nextDelivery();
    const receipt = await kannelProvider(settings).sendSms({
      id: 'TL1',
      to: '+15551234567',
      text: 'Société passcodes: 1234567 7654321',
    });
    assert.deepEqual(receipt, { providerRef: null });
    assert.deepEqual(await arrival, {
      to: '+15551234567',
      from: '+15550001111',
      text: 'Société passcodes: 1234567 7654321',
      coding: '0',
      smscUser: 'smsc-user',
      smscPassword: 'smsc-secret',
    });
  });

  test('a text outside the GSM alphabet goes as UCS-2 and arrives intact', async () => {
    const arrival = nextDelivery();
    await kannelProvider(settings).sendSms({ id: 'TL2', to: '+79161234567', text: 'Код входа: 1234567 ✓' });
    const message = await arrival;
    assert.equal(message.text, 'Код входа: 1234567 ✓');
    assert.equal(message.coding, '2');
  });

  test('a wrong password is refused by smsbox with a clear error, and nothing is delivered', async () => {
    const before = delivered.length;
    await assert.rejects(
      kannelProvider({ ...settings, password: 'wrong' }).sendSms({
        id: 'TL3',
        to: '+15551234567',
        text: 'x',
      }),
      (error: Error) => {
        assert.equal(error.name, 'TelephonyProviderError');
        assert.match(
          error.message,
          /kannel: http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/sendsms answered HTTP 403: Authorization failed/,
        );
        assert.doesNotMatch(error.message, /wrong|kannel-test-pw/, 'no password in the message');
        return true;
      },
    );
    assert.equal(delivered.length, before);
  });

  test('through the telephony service: configured from TOML, charged, logged, delivered', async () => {
    const dataDir = join(dir, 'data');
    const config = buildConfig(
      [
        `data_dir = ${JSON.stringify(dataDir)}`,
        '[telephony]',
        'enabled = true',
        'provider = "kannel"',
        '[telephony.kannel]',
        `sendsms_url = ${JSON.stringify(settings.sendsmsUrl)}`,
        'username = "countersign"',
        'from = "Countersign"',
      ].join('\n'),
      { COUNTERSIGN_KANNEL_PASSWORD: 'kannel-test-pw' },
    );
    const store = await openStore({ sqlitePath: join(dir, 'service.db') });
    try {
      const clock = manualClock(Date.UTC(2026, 0, 5, 12));
      const telephony = createTelephony({
        organization: 'Countersign',
        deps: { store, clock, random: secureRandom, log: { warn() {} } },
        settings: config.telephony,
        provider: createProvider({ config, clock }),
      });
      const arrival = nextDelivery();
      const sent = await telephony.sendSms({
        userId: null,
        to: '+15557654321',
        text: 'Your code: 7654321',
        context: 'verification',
      });
      const message = await arrival;
      assert.deepEqual(
        [message.to, message.from, message.text],
        ['+15557654321', 'Countersign', 'Your code: 7654321'],
      );
      const [logged] = await store.telephony.list({ limit: 5 });
      assert.deepEqual(
        {
          id: logged?.id,
          provider: logged?.provider,
          type: logged?.type,
          credits: logged?.credits,
          status: logged?.status,
        },
        { id: sent.id, provider: 'kannel', type: 'sms', credits: 1, status: 'sent' },
      );
      await assert.rejects(
        telephony.placeCall({
          userId: null,
          to: '+15557654321',
          script: { organization: 'o', application: 'a' },
          context: 'authentication',
        }),
        (error) => isCountersignError(error, 'TELEPHONY_DISABLED'),
      );
    } finally {
      await store.close();
    }
  });

  test('an SMS login end to end: the number confirmed and the passcodes texted through Kannel', async () => {
    const server = await startTestServer({
      config: {
        'telephony.enabled': true,
        'telephony.provider': 'kannel',
        'telephony.kannel.sendsms_url': settings.sendsmsUrl,
        'telephony.kannel.username': 'countersign',
        'telephony.kannel.password': 'kannel-test-pw',
        'telephony.kannel.from': 'Acme',
        organization: 'Acme',
      },
    });
    const keys = await createTestApp(server.deps, { policy: { allowedMethods: ['totp', 'sms'] } });
    const clock = () => {
      server.clock.advance(1_000);
      return server.clock.now();
    };
    const client = createAuthApiClient({ baseUrl: server.url, ...keys, clock });
    try {
      const user = await createTestUser(server.deps, 'kannel-user');
      const number = '+15551230000';
      let arrival = nextDelivery();
      await sendPhoneConfirmation(server.deps, user, number);
      const confirmation = await arrival;
      assert.equal(confirmation.to, number);
      const [code] = /[0-9]{7}/.exec(confirmation.text)!;
      await confirmPhone(server.deps, 'test', user, { number, code });

      const preauth = await client.preauth({ username: user.username });
      assert.equal(preauth.result, 'auth');
      // Kannel places no calls: the phone can only get texts.
      if (preauth.result === 'auth') assert.deepEqual(preauth.devices[0]?.capabilities, ['sms']);
      arrival = nextDelivery();
      const sent = await client.auth({ username: user.username, factor: 'sms', device: 'auto' });
      assert.deepEqual(sent, { result: 'deny', status: 'sent', status_msg: 'New SMS passcodes sent.' });
      const text = await arrival;
      assert.deepEqual([text.to, text.from], [number, 'Acme']);
      const codes = text.text.match(/\b[0-9]{7}\b/g) ?? [];
      assert.equal(codes.length, 10);
      const login = await client.auth({ username: user.username, factor: 'passcode', passcode: codes[3]! });
      assert.deepEqual([login.result, login.status], ['allow', 'allow']);
      await assert.rejects(client.auth({ username: user.username, factor: 'phone', device: 'auto' }), {
        code: 40002,
        detail: "factor 'phone' is not enabled on this server",
      });
    } finally {
      client.close();
      await server.close();
    }
  });
});
