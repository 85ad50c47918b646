// The Auth API's trusted_device_token: a successful auth remembers the device per policy; preauth honours it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { setUserStatus } from '../../src/core/admin/create-user.ts';
import { removeDevice } from '../../src/core/enrollment/manage-devices.ts';
import type { PolicyLayer, User } from '../../src/core/model.ts';
import { signOutEverywhere } from '../../src/core/web/remembered.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertOk } from './envelope-assertions.ts';

const HOUR = 3_600_000;

interface Result {
  result: string;
  status_msg: string;
  trusted_device_token?: string;
}

function cases(database: () => Promise<{ url?: string; drop(): Promise<void> }>) {
  let server: TestServer;
  let db: { url?: string; drop(): Promise<void> };
  let serial = 0;

  before(async () => {
    db = await database();
    server = await startTestServer(db.url === undefined ? {} : { config: { database_url: db.url } });
  });
  after(async () => {
    await server?.close();
    await db?.drop();
  });

  /** A fresh user with one TOTP device, and an Auth API client for a fresh application with `policy`. */
  async function world(policy: PolicyLayer = {}) {
    const keys = await createTestApp(server.deps, { policy });
    const client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
    const user = await createTestUser(server.deps, `trusted-${++serial}`);
    const totp = await addTestTotp(server.deps, user);
    return { client, user, totp, keys };
  }

  const preauth = async (client: AuthApiClient, user: User, token?: string) =>
    assertOk(
      await client.send('POST', '/auth/v2/preauth', {
        username: user.username,
        ...(token !== undefined && { trusted_device_token: token }),
      }),
    ) as Result;

  /** A synchronous passcode auth with the code of the moment; then moves the clock on so the next code differs. */
  async function passcodeAuth(client: AuthApiClient, user: User, totp: TestTotp): Promise<Result> {
    const passcode = totp.codeAt(server.clock.now());
    const result = assertOk(
      await client.send('POST', '/auth/v2/auth', { username: user.username, factor: 'passcode', passcode }),
    ) as Result;
    server.clock.advance(30_000);
    return result;
  }

  test('issue 10: a successful auth returns a trusted_device_token, and preauth with it answers allow', async () => {
    const { client, user, totp } = await world();
    const allowed = await passcodeAuth(client, user, totp);
    assert.equal(allowed.result, 'allow');
    const token = allowed.trusted_device_token;
    assert.match(token ?? '', /^[A-Za-z0-9_-]{43}$/, 'a 256-bit token');
    const remembered = await preauth(client, user, token);
    assert.equal(remembered.result, 'allow');
    // Audited like the prompt's remembered browser: an authentication allowed for the reason `remembered`.
    const [entry] = await server.deps.store.audit.tail({ limit: 1, kind: 'auth' });
    assert.equal(entry?.userId, user.id);
    assert.equal(entry?.result, 'success');
    assert.equal(entry?.reason, 'remembered');
    // Issuing it is audited with the other device entries.
    const issued = (await server.deps.store.audit.tail({ limit: 100, kind: 'enrollment' })).filter(
      (e) => e.userId === user.id && e.action === 'device.remember',
    );
    assert.equal(issued.length, 1);
    // Without the token, or with another shape, preauth asks for the factor as before.
    assert.equal((await preauth(client, user)).result, 'auth');
    assert.equal((await preauth(client, user, 'not-a-token')).result, 'auth');
    // The same shape, one character changed.
    const altered = `${token!.slice(0, 42)}${token!.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await preauth(client, user, altered)).result, 'auth');
    client.close();
  });

  test('issue 10: the token is honoured within the policy window and refused after it', async () => {
    const { client, user, totp } = await world({ rememberHours: 2 });
    const token = (await passcodeAuth(client, user, totp)).trusted_device_token;
    server.clock.advance(2 * HOUR - 30_001);
    assert.equal((await preauth(client, user, token)).result, 'allow');
    server.clock.advance(1);
    assert.equal((await preauth(client, user, token)).result, 'auth');
    client.close();
  });

  test('issue 10: `user sign-out` (sign out everywhere) revokes the token', async () => {
    const { client, user, totp } = await world();
    const token = (await passcodeAuth(client, user, totp)).trusted_device_token;
    assert.equal((await preauth(client, user, token)).result, 'allow');
    await signOutEverywhere(server.deps, 'test', user);
    assert.equal((await preauth(client, user, token)).result, 'auth');
    client.close();
  });

  test('issue 10: removing one of the user’s devices revokes the token', async () => {
    const { client, user, totp } = await world();
    const second = await addTestTotp(server.deps, user);
    const token = (await passcodeAuth(client, user, totp)).trusted_device_token;
    assert.equal((await preauth(client, user, token)).result, 'allow');
    await removeDevice(server.deps, 'test', user, second.authenticator.id);
    assert.equal((await preauth(client, user, token)).result, 'auth');
    client.close();
  });

  test('issue 10: disabling the user denies, and enabling again does not bring the token back', async () => {
    const { client, user, totp } = await world();
    const token = (await passcodeAuth(client, user, totp)).trusted_device_token;
    await setUserStatus(server.deps, 'test', user, 'disabled');
    assert.equal((await preauth(client, user, token)).result, 'deny');
    await setUserStatus(server.deps, 'test', user, 'active');
    assert.equal((await preauth(client, user, token)).result, 'auth');
    client.close();
  });

  test('issue 10: policy off: no token is returned, and a token from elsewhere is ignored', async () => {
    const shared = await world();
    const token = (await passcodeAuth(shared.client, shared.user, shared.totp)).trusted_device_token;
    assert.ok(token);
    const off = await createTestApp(server.deps, { policy: { rememberScope: 'off' } });
    const client = createAuthApiClient({ baseUrl: server.url, ...off, clock: () => server.clock.now() });
    assert.equal((await preauth(client, shared.user, token)).result, 'auth');
    const allowed = await passcodeAuth(client, shared.user, shared.totp);
    assert.equal(allowed.result, 'allow');
    assert.equal('trusted_device_token' in allowed, false);
    // rememberHours 0 turns remembering off too.
    const zero = await world({ rememberHours: 0 });
    assert.equal('trusted_device_token' in (await passcodeAuth(zero.client, zero.user, zero.totp)), false);
    for (const c of [shared.client, client, zero.client]) c.close();
  });

  test('issue 10: per-application scope honours a token only at the application that issued it', async () => {
    const a = await world({ rememberScope: 'application' });
    const token = (await passcodeAuth(a.client, a.user, a.totp)).trusted_device_token;
    assert.equal((await preauth(a.client, a.user, token)).result, 'allow');
    const b = await createTestApp(server.deps, { policy: { rememberScope: 'application' } });
    const other = createAuthApiClient({ baseUrl: server.url, ...b, clock: () => server.clock.now() });
    assert.equal((await preauth(other, a.user, token)).result, 'auth');
    // Nor is one user's token another user's.
    const mallory = await createTestUser(server.deps, `mallory-${++serial}`);
    await addTestTotp(server.deps, mallory);
    assert.equal((await preauth(a.client, mallory, token)).result, 'auth');
    a.client.close();
    other.close();
  });

  test('issue 10: an async auth gives the token in auth_status, once per transaction', async () => {
    const { client, user, totp } = await world();
    const passcode = totp.codeAt(server.clock.now());
    const { txid } = assertOk(
      await client.send('POST', '/auth/v2/auth', {
        username: user.username,
        factor: 'passcode',
        passcode,
        async: '1',
      }),
    ) as { txid: string };
    const first = assertOk(await client.send('GET', '/auth/v2/auth_status', { txid })) as Result;
    assert.equal(first.result, 'allow');
    assert.equal((await preauth(client, user, first.trusted_device_token)).result, 'allow');
    const again = assertOk(await client.send('GET', '/auth/v2/auth_status', { txid })) as Result;
    assert.equal(again.result, 'allow');
    assert.equal('trusted_device_token' in again, false, 'one token per transaction');
    client.close();
  });

  test('issue 10: a denied auth and an allow without a factor (bypass status) return no token', async () => {
    const { client, user, totp } = await world();
    const denied = assertOk(
      await client.send('POST', '/auth/v2/auth', {
        username: user.username,
        factor: 'passcode',
        passcode: totp.codeAt(server.clock.now() + 10 * HOUR),
      }),
    ) as Result;
    assert.equal(denied.result, 'deny');
    assert.equal('trusted_device_token' in denied, false);
    await setUserStatus(server.deps, 'test', user, 'bypass');
    const bypassed = await passcodeAuth(client, user, totp);
    assert.equal(bypassed.result, 'allow');
    assert.equal('trusted_device_token' in bypassed, false);
    client.close();
  });
}

describe('trusted_device_token on SQLite', () => {
  cases(async () => ({ drop: async () => {} }));
});

const pg = testPgUrl();
describe('trusted_device_token on PostgreSQL', { skip: pg === undefined ? PG_SKIP_MESSAGE : false }, () => {
  cases(async (): Promise<TestDatabase> => createTestDatabase(pg!));
});
