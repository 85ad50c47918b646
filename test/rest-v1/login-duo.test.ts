// Debian's login_duo 1.11.3 (REST v1) against Countersign: DUO_PASSCODE, autopush, the menu, and every denial.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setUserStatus } from '../../src/core/admin/create-user.ts';
import type { User } from '../../src/core/model.ts';
import type { DeviceClient } from '../../src/device-client/client.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { addTestTotp, createTestUser, type TestTotp } from '../support/server.ts';
import { signedV1 } from './wire.ts';
import {
  approveWhenAsked,
  CLIENT_PATH,
  type DuoUnixWorld,
  LOGIN_DUO,
  loginDuoArgs,
  type Ran,
  type Running,
  run,
  start,
  startDuoUnixWorld,
} from './world.ts';

const missing = existsSync(LOGIN_DUO) ? false : `${LOGIN_DUO} is not installed (Debian package login-duo)`;

/** login_duo headless (standard input not a terminal: autopush, one prompt), with a private configuration. */
function loginDuo(conf: string, user: string, env: Record<string, string> = {}): Promise<Ran> {
  return run(LOGIN_DUO, loginDuoArgs(conf, user), { env: { PATH: CLIENT_PATH, ...env } });
}

/**
 * login_duo on a terminal (util-linux `script` gives it a pty): it shows the menu; `answer` is typed once the
 * prompt is on screen.
 */
function startOnTerminal(conf: string, user: string, answer: string): Running {
  const command = [LOGIN_DUO, ...loginDuoArgs(conf, user)].join(' ');
  return start('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    env: { PATH: CLIENT_PATH, TERM: 'dumb' },
    input: `${answer}\n`,
    waitFor: /Passcode( or option \(1-\d+\))?: /,
  });
}

function loginDuoOnTerminal(conf: string, user: string, answer: string): Promise<Ran> {
  return startOnTerminal(conf, user, answer).done;
}

function assertLoggedIn(ran: Ran, user: string): void {
  assert.equal(ran.code, 0, `login_duo refused:\n${ran.stderr}${ran.stdout}`);
  assert.match(ran.stdout, /LOGGED-IN/);
  assert.match(`${ran.stderr}${ran.stdout}`, new RegExp(`Successful Duo login for '${user}'`));
}

function assertRefused(ran: Ran, log: RegExp): void {
  assert.notEqual(ran.code, 0, `login_duo let the user in:\n${ran.stderr}${ran.stdout}`);
  assert.doesNotMatch(ran.stdout, /LOGGED-IN/);
  assert.match(`${ran.stderr}${ran.stdout}`, log);
}

function cases(database: () => Promise<{ url?: string; drop(): Promise<void> }>) {
  let world: DuoUnixWorld;
  let db: { url?: string; drop(): Promise<void> };
  let keys: { ikey: string; skey: string };
  let alice: User;
  let totp: TestTotp;
  let bob: User;
  let bobsPhone: DeviceClient;

  before(async () => {
    db = await database();
    world = await startDuoUnixWorld(db.url === undefined ? {} : { database_url: db.url });
    keys = await world.app();
    alice = await createTestUser(world.server.deps, 'alice');
    totp = await addTestTotp(world.server.deps, alice);
    bob = await createTestUser(world.server.deps, 'bob');
    bobsPhone = await world.device(bob);
  });
  after(async () => {
    await world?.close();
    await db?.drop();
  });

  /** Alice's TOTP code of the moment; the clock then moves on a step, as a code is accepted once. */
  const aliceCode = () => {
    const code = totp.codeAt(world.server.clock.now());
    world.server.clock.advance(30_000);
    return code;
  };

  test('issue 10: a passcode from DUO_PASSCODE (accept_env_factor = yes) logs the user in', async () => {
    const conf = await world.conf('login_duo.conf', keys);
    assertLoggedIn(await loginDuo(conf, 'alice', { DUO_PASSCODE: aliceCode() }), 'alice');
  });

  test('issue 10: a wrong passcode is refused', async () => {
    const conf = await world.conf('login_duo.conf', keys);
    const ran = await loginDuo(conf, 'alice', { DUO_PASSCODE: '000000' });
    assertRefused(ran, /Failed Duo login for 'alice'/);
    const [entry] = await world.server.deps.store.audit.tail({ limit: 1, kind: 'auth' });
    assert.equal(entry?.userId, alice.id);
    assert.equal(entry?.result, 'deny');
  });

  test('issue 10: autopush (headless, synchronous) is approved by the headless device client', async () => {
    const conf = await world.conf('login_duo.conf', keys);
    const [ran, txid] = await Promise.all([loginDuo(conf, 'bob'), approveWhenAsked(bobsPhone)]);
    assertLoggedIn(ran, 'bob');
    const tx = await world.server.deps.store.transactions.get(txid);
    assert.equal(tx?.state, 'allow');
    assert.equal(tx?.reason, 'user_approved');
  });

  test('issue 10: a push the device denies is refused', async () => {
    const conf = await world.conf('login_duo.conf', keys);
    const deny = async () => {
      for (;;) {
        const [request] = await bobsPhone.pending();
        if (request) return bobsPhone.deny(request.txid);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const [ran] = await Promise.all([loginDuo(conf, 'bob'), deny()]);
    assertRefused(ran, /Failed Duo login for 'bob'/);
    // The denial pauses automatic pushes (every REST v1 push counts as one): the next login is refused at once.
    assertRefused(await loginDuo(conf, 'bob'), /Failed Duo login for 'bob'/);
    world.server.clock.advance(60 * 60_000);
  });

  test('issue 10: the numbered menu on a terminal: option 1 pushes, the status lines show, the device approves', async () => {
    const conf = await world.conf('login_duo.conf', keys, { autopush: 'no' });
    const login = startOnTerminal(conf, 'bob', '1');
    // The user reads the first status line, then approves on the phone.
    await login.seen(/Pushed a login request to your device\.\.\./);
    await approveWhenAsked(bobsPhone);
    const ran = await login.done;
    assertLoggedIn(ran, 'bob');
    assert.match(ran.stdout, /Countersign login for bob/);
    assert.match(ran.stdout, / 1\. Push to headless/);
    assert.match(ran.stdout, /Passcode or option \(1-1\): /);
    // status.bson: the first poll answers at once with the status line, the next one with the result.
    assert.match(ran.stdout, /Pushed a login request to your device\.\.\./);
    assert.match(ran.stdout, /Success\. Logging you in\.\.\./);
  });

  test('issue 10: the menu takes a typed passcode, and refuses a wrong one', async () => {
    const conf = await world.conf('login_duo.conf', keys, { autopush: 'no' });
    assertLoggedIn(await loginDuoOnTerminal(conf, 'alice', aliceCode()), 'alice');
    const wrong = await loginDuoOnTerminal(conf, 'alice', '123456');
    assertRefused(wrong, /Failed Duo login for 'alice'/);
    assert.match(wrong.stdout, /Incorrect passcode|denied|Login request/i);
  });

  test('issue 10: an application without REST v1 is denied, even with failmode = safe', async () => {
    const off = await world.app({ legacyRestV1: false });
    const conf = await world.conf('login_duo.conf', off, { failmode: 'safe' });
    const ran = await loginDuo(conf, 'alice', { DUO_PASSCODE: aliceCode() });
    assertRefused(ran, /Aborted Duo login for 'alice': Legacy REST v1 is switched off/);
  });

  test('issue 10: a user without a device is sent to enroll; a disabled user is denied (failmode = safe)', async () => {
    const conf = await world.conf('login_duo.conf', keys, { failmode: 'safe' });
    await createTestUser(world.server.deps, 'carol');
    assertRefused(await loginDuo(conf, 'carol', { DUO_PASSCODE: '123456' }), /User enrollment required/);
    const dave = await createTestUser(world.server.deps, 'dave');
    await addTestTotp(world.server.deps, dave);
    await setUserStatus(world.server.deps, 'test', dave, 'disabled');
    assertRefused(await loginDuo(conf, 'dave', { DUO_PASSCODE: '123456' }), /Aborted Duo login for 'dave'/);
  });

  test('issue 10: too many logins (RATE_LIMITED) are denied, not a server error (failmode = safe)', async () => {
    // Lockout would stop erin first: this application allows many failures, so the login limit is what refuses.
    const patient = await world.app({ policy: { lockoutThreshold: 100 } });
    const erin = await createTestUser(world.server.deps, 'erin');
    await addTestTotp(world.server.deps, erin);
    const attempt = () =>
      signedV1(world, patient, 'POST', '/rest/v1/auth.bson', {
        user: 'erin',
        factor: 'auto',
        auto: '000000',
        async: '0',
      });
    // 20 logins a minute per user by default: spend them on the wire; the 21st is refused, in BSON, with HTTP 200.
    for (let i = 0; i < 20; i++) assert.equal((await attempt()).body?.stat, 'OK');
    const refused = await attempt();
    assert.equal(refused.status, 200);
    assert.deepEqual(refused.body, {
      stat: 'OK',
      response: { result: 'deny', status: 'Too many sign-in attempts. Wait a minute and try again.' },
    });
    const conf = await world.conf('login_duo.conf', patient, { failmode: 'safe' });
    assertRefused(await loginDuo(conf, 'erin', { DUO_PASSCODE: '123456' }), /Failed Duo login for 'erin'/);
    world.server.clock.advance(60 * 60_000);
  });

  test('issue 10: a wrong secret key is the one 401: failmode secure denies it (safe would let the user in)', async () => {
    const conf = await world.conf('login_duo.conf', { ...keys, skey: 'x'.repeat(40) });
    assertRefused(
      await loginDuo(conf, 'alice', { DUO_PASSCODE: '123456' }),
      /Failsecure Duo login for 'alice'.*Invalid ikey or skey/,
    );
  });

  test('issue 10: the database unreachable is a denial, never a 5xx, even with failmode = safe', async () => {
    const conf = await world.conf('login_duo.conf', keys, { failmode: 'safe' });
    await world.storeDown();
    const ran = await loginDuo(conf, 'alice', { DUO_PASSCODE: '123456' });
    assertRefused(ran, /Aborted Duo login for 'alice'/);
    assert.doesNotMatch(ran.stderr, /Failsafe/);
  });
}

describe('login_duo 1.11.3 on SQLite', { skip: missing }, () => {
  cases(async () => ({ drop: async () => {} }));
});

const pg = testPgUrl();
describe('login_duo 1.11.3 on PostgreSQL', {
  skip: missing || (pg === undefined ? PG_SKIP_MESSAGE : false),
}, () => {
  cases(() => createTestDatabase(pg!));
});
