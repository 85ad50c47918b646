// The console's API on SQLite and PostgreSQL: sign-in needs a password, a second factor and a role; each role's
// calls through the Admin API's own route table are allowed or refused by the server (403 40301, logged); every
// action is logged under the administrator's name; CSRF, idle and absolute expiry hold.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeAdministrator } from '../../src/core/admin/administrators.ts';
import { setUserStatus } from '../../src/core/admin/create-user.ts';
import type { AdminRole, User } from '../../src/core/model.ts';
import { loadWebSession, startWebSession } from '../../src/core/web/sessions.ts';
import { CONSOLE_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { createTestUser, startTestServer, type TestServer } from '../support/server.ts';
import { ensureWebBuilt } from '../support/web-build.ts';
import {
  type ConsoleSession,
  consoleCall,
  consoleSignIn,
  createTestAdmin,
  post,
  type TestAdmin,
} from './support.ts';

const ROLES: AdminRole[] = ['owner', 'administrator', 'help-desk', 'read-only'];

function roleSuite(name: string, databaseUrl: () => string | undefined): void {
  describe(name, () => {
    let server: TestServer;
    const admins = new Map<AdminRole, TestAdmin>();
    const sessions = new Map<AdminRole, ConsoleSession>();
    let plain: TestAdmin;
    let target: User;
    const now = () => server.clock.now();

    before(async () => {
      ensureWebBuilt();
      const url = databaseUrl();
      server = await startTestServer(url !== undefined ? { config: { database_url: url } } : {});
      for (const role of ROLES) admins.set(role, await createTestAdmin(server.deps, `${role}-admin`, role));
      plain = await createTestAdmin(server.deps, 'plain-user', null);
      target = await createTestUser(server.deps, 'caller', { email: 'caller@example.test' });
      for (const role of ROLES) {
        sessions.set(role, await consoleSignIn(server.url, admins.get(role)!, now));
        // Each sign-in's code is spent: the next one waits for a fresh time step.
        server.clock.advance(30_000);
      }
    });
    after(() => server?.close());

    const call = (role: AdminRole, method: 'GET' | 'POST' | 'DELETE', path: string, params = {}) =>
      consoleCall(server.url, sessions.get(role)!, method, path, params);

    test('the session cookie is its own, HttpOnly, Secure and SameSite=Strict', () => {
      const cookie = sessions.get('owner')!.setCookie;
      assert.match(cookie, new RegExp(`^${CONSOLE_COOKIE}=`));
      for (const part of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/'])
        assert.ok(cookie.includes(part), cookie);
    });

    test('a user who is not an administrator cannot sign in (the wrong-password answer)', async () => {
      const response = await post(server.url, '/admin/console/auth/sign-in', {
        username: plain.user.username,
        password: 'correct horse 12',
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: string }).error, 'SIGN_IN_FAILED');
    });

    test('the password alone opens nothing: the API answers 401 until a second factor is given', async () => {
      server.clock.advance(30_000);
      const half = await consoleSignIn(server.url, admins.get('owner')!, now, { secondFactor: false });
      const answer = await consoleCall(server.url, half, 'GET', '/v1/users');
      assert.equal(answer.status, 401);
      assert.equal(answer.body.code, 40101);
      const me = await fetch(`${server.url}/admin/console/auth/me`, {
        headers: { cookie: `${CONSOLE_COOKIE}=${half.cookie}` },
      });
      assert.equal(me.status, 401);
    });

    test('who am I: the role and what the page may offer', async () => {
      const me = (await (
        await fetch(`${server.url}/admin/console/auth/me`, {
          headers: { cookie: `${CONSOLE_COOKIE}=${sessions.get('help-desk')!.cookie}` },
        })
      ).json()) as { role: string; grants: string[]; operations: string[]; limits: Record<string, number> };
      assert.equal(me.role, 'help-desk');
      assert.deepEqual(me.grants, []);
      assert.ok(me.operations.includes('POST /v1/users/{user_id}/bypass_codes'));
      assert.deepEqual(me.limits, { codes: 1, uses: 1, validSecs: 3600 });
    });

    test('the role matrix: each role may do what its role says, and nothing else (403 40301)', async () => {
      const oneCode = { count: 1, reuse_count: 1, valid_secs: 3600 };
      const cases: Array<[string, (role: AdminRole) => Promise<{ status: number }>, AdminRole[]]> = [
        ['look users up', (role) => call(role, 'GET', '/v1/users', { username: 'caller' }), ROLES],
        ['read a user', (role) => call(role, 'GET', `/v1/users/${target.id}`), ROLES],
        ['read devices', (role) => call(role, 'GET', `/v1/users/${target.id}/phones`), ROLES],
        [
          'add a user',
          (role) => call(role, 'POST', '/v1/users', { username: `new-${role}` }),
          ['owner', 'administrator'],
        ],
        ['list administrators', (role) => call(role, 'GET', '/v1/admins'), ['owner']],
        [
          'read the administrator log',
          (role) => call(role, 'GET', '/v1/logs/administrator', { mintime: 0 }),
          ['owner', 'administrator', 'read-only'],
        ],
        [
          'read the summary',
          (role) => call(role, 'GET', '/v1/info/summary'),
          ['owner', 'administrator', 'read-only'],
        ],
        [
          'one bypass code, one use, one hour',
          (role) => call(role, 'POST', `/v1/users/${target.id}/bypass_codes`, oneCode),
          ['owner', 'administrator', 'help-desk'],
        ],
        [
          'two bypass codes',
          (role) => call(role, 'POST', `/v1/users/${target.id}/bypass_codes`, { ...oneCode, count: 2 }),
          ['owner', 'administrator'],
        ],
        [
          'a code that never expires',
          (role) => call(role, 'POST', `/v1/users/${target.id}/bypass_codes`, { ...oneCode, valid_secs: 0 }),
          ['owner', 'administrator'],
        ],
        [
          'the whole authentication log',
          (role) => call(role, 'GET', '/v2/logs/authentication', { mintime: 0, maxtime: now() }),
          ['owner', 'administrator', 'read-only'],
        ],
        [
          "one user's sign-ins",
          (role) =>
            call(role, 'GET', '/v2/logs/authentication', { mintime: 0, maxtime: now(), users: target.id }),
          ROLES,
        ],
        [
          'read the policies',
          (role) => call(role, 'GET', '/v1/countersign/policies'),
          ['owner', 'administrator'],
        ],
        [
          'e-mail an enrollment link',
          (role) => call(role, 'POST', `/v1/countersign/users/${target.id}/enrollment_email`),
          ['owner', 'administrator', 'help-desk'],
        ],
        [
          "edit a user's notes",
          (role) => call(role, 'POST', `/v1/users/${target.id}`, { notes: 'x' }),
          ['owner', 'administrator'],
        ],
      ];
      for (const [what, run, allowed] of cases) {
        for (const role of ROLES) {
          const answer = await run(role);
          const expected = allowed.includes(role) ? 200 : 403;
          assert.equal(answer.status, expected, `${role}: ${what}: ${JSON.stringify(answer)}`);
        }
      }
    });

    test('the help desk unlocks a locked-out user, and only that', async () => {
      await setUserStatus(server.deps, 'test', target, 'locked_out');
      const disable = await call('help-desk', 'POST', `/v1/users/${target.id}`, { status: 'disabled' });
      assert.equal(disable.status, 403);
      const sneak = await call('help-desk', 'POST', `/v1/users/${target.id}`, {
        status: 'active',
        notes: 'x',
      });
      assert.equal(sneak.status, 403);
      const unlock = await call('help-desk', 'POST', `/v1/users/${target.id}`, { status: 'active' });
      assert.equal(unlock.status, 200, JSON.stringify(unlock));
      assert.equal((await server.deps.store.users.get(target.id))?.status, 'active');
      await setUserStatus(server.deps, 'test', target, 'disabled');
      const enable = await call('help-desk', 'POST', `/v1/users/${target.id}`, { status: 'active' });
      assert.equal(enable.status, 403, 'a disabled user is not merely locked out');
      await setUserStatus(server.deps, 'test', target, 'active');
    });

    test('a refused call is logged (actor, operation, forbidden); actions are logged under the administrator', async () => {
      const refused = await call('help-desk', 'DELETE', `/v1/users/${target.id}`);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 40301);
      assert.equal((await server.deps.store.users.get(target.id))?.id, target.id, 'nothing deleted');
      const entries = await server.deps.store.audit.tail({ limit: 500 });
      const forbidden = entries.find(
        (entry) =>
          entry.action === 'admin.forbidden' &&
          entry.actor === 'console:help-desk-admin' &&
          entry.detail.call === 'DELETE /v1/users/{user_id}',
      );
      assert.ok(forbidden, 'the refusal is in the administrator log');
      assert.equal(forbidden.result, 'forbidden');
      const issued = entries.find(
        (entry) => entry.action === 'bypass.issue' && entry.actor === 'console:help-desk-admin',
      );
      assert.ok(issued, 'the help desk issuing a code is logged under its name');
      assert.ok(
        entries.some((entry) => entry.action === 'user.create' && entry.actor === 'console:owner-admin'),
      );
    });

    test('CSRF: a change without the session token or from another origin is refused and changes nothing', async () => {
      const session = sessions.get('owner')!;
      const wrong = await consoleCall(
        server.url,
        session,
        'POST',
        '/v1/users',
        { username: 'csrf-1' },
        { csrf: 'x' },
      );
      assert.equal(wrong.status, 403);
      const foreign = await fetch(`${server.url}/admin/console/api/v1/users`, {
        method: 'POST',
        headers: {
          origin: 'https://evil.example',
          cookie: `${CONSOLE_COOKIE}=${session.cookie}`,
          'x-csrf-token': session.csrf,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ username: 'csrf-2' }),
      });
      assert.equal(foreign.status, 403);
      assert.equal(await server.deps.store.users.findByName('csrf-1'), null);
      assert.equal(await server.deps.store.users.findByName('csrf-2'), null);
    });

    test('bad parameters are Duo 400s naming the parameter; an unknown path is Duo 404', async () => {
      const bad = await call('owner', 'GET', '/v1/users', { limit: 'many' });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.message_detail), /limit/);
      const unknown = await call('owner', 'GET', '/v9/nothing');
      assert.deepEqual(unknown, {
        status: 404,
        body: { stat: 'FAIL', code: 40401, message: 'Resource not found' },
      });
    });

    test("sign out everywhere from the console ends the user's portal session", async () => {
      const { token } = await startWebSession(server.deps, target, 'portal', { mfa: true });
      const answer = await call('administrator', 'POST', `/v1/countersign/users/${target.id}/sign_out`);
      assert.deepEqual(answer, { status: 200, body: { stat: 'OK', response: { ended: 1, notified: 0 } } });
      assert.equal(await loadWebSession(server.deps, token), null);
      const refused = await call('help-desk', 'POST', `/v1/countersign/users/${target.id}/sign_out`);
      assert.equal(refused.status, 403);
    });

    test('the page: /admin/ serves the console, /admin redirects there; unknown Admin API paths stay Duo 404s', async () => {
      const page = await fetch(`${server.url}/admin/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(await page.text(), /<div id="root">/);
      const bare = await fetch(`${server.url}/admin`, { redirect: 'manual' });
      assert.equal(bare.status, 301);
      assert.equal(bare.headers.get('location'), '/admin/');
      const unknown = await fetch(`${server.url}/admin/v1/no_such_thing`);
      assert.deepEqual(await unknown.json(), { stat: 'FAIL', code: 40401, message: 'Resource not found' });
    });

    test('a role taken away ends the session at its next call', async () => {
      server.clock.advance(30_000);
      const extra = await createTestAdmin(server.deps, 'leaving-admin', 'administrator');
      const session = await consoleSignIn(server.url, extra, now);
      assert.equal((await consoleCall(server.url, session, 'GET', '/v1/users')).status, 200);
      await removeAdministrator(server.deps, 'test', extra.user);
      assert.equal((await consoleCall(server.url, session, 'GET', '/v1/users')).status, 401);
    });

    test('idle and absolute expiry: 15 idle minutes end a session; 8 busy hours end it too', async () => {
      server.clock.advance(30_000);
      const idle = await consoleSignIn(server.url, admins.get('read-only')!, now);
      server.clock.advance(14 * 60_000);
      assert.equal((await consoleCall(server.url, idle, 'GET', '/v1/users')).status, 200);
      server.clock.advance(14 * 60_000);
      assert.equal((await consoleCall(server.url, idle, 'GET', '/v1/users')).status, 200, 'used: not idle');
      server.clock.advance(16 * 60_000);
      assert.equal((await consoleCall(server.url, idle, 'GET', '/v1/users')).status, 401, 'idle');
      server.clock.advance(30_000);
      const busy = await consoleSignIn(server.url, admins.get('read-only')!, now);
      for (let minutes = 0; minutes < 8 * 60; minutes += 10) {
        server.clock.advance(10 * 60_000);
        if ((await consoleCall(server.url, busy, 'GET', '/v1/info/summary')).status !== 200) {
          assert.ok(minutes >= 8 * 60 - 10, `ended after ${minutes} minutes`);
          return;
        }
      }
      server.clock.advance(10 * 60_000);
      assert.equal((await consoleCall(server.url, busy, 'GET', '/v1/info/summary')).status, 401, 'absolute');
    });
  });
}

roleSuite('console roles on SQLite', () => undefined);

const pgUrl = testPgUrl();
if (pgUrl === undefined) {
  test('console roles on PostgreSQL', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgUrl);
  });
  after(() => database?.drop());
  roleSuite('console roles on PostgreSQL', () => database?.url);
}
