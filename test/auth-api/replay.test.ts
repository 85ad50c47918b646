// Replayed Auth API requests (issue 9.3): a signed request that starts something is accepted once; read-only
// requests stay repeatable (Duo's Date has one-second resolution, so genuine clients repeat them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { buildSignedRequest, type ParamValue } from '../../src/client/sign-request.ts';
import { createTransport, type HttpResponse, type Transport } from '../../src/client/transport.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { type PushWorld, startPushWorld } from '../push/harness.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { createTestApp, startTestServer, type TestServer } from '../support/server.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

/** Where a captured request goes and who signs it. */
interface Target {
  url: string;
  keys: { ikey: string; skey: string };
  clock: { now(): number };
}

/** One signed request, built once: sending it again sends the very same bytes (same Date, same signature). */
function capture(target: Target, method: string, path: string, params: Record<string, ParamValue>) {
  return buildSignedRequest({
    method,
    host: new URL(target.url).host,
    path,
    params,
    ...target.keys,
    signatureVersion: 5,
    date: new Date(target.clock.now()).toUTCString(),
  });
}

/** Asserts the replay answer: 401, Duo's 40103, and a detail that says what happened. */
function assertReplayRefused(response: HttpResponse): void {
  const body = assertFail(response, 401, 40103);
  assert.equal(body.message, 'Invalid signature in request credentials');
  assert.match(body.message_detail ?? '', /already used/);
}

const PUSH = { factor: 'push', device: 'auto', async: '1' } as const;

describe('replayed requests on one server (SQLite)', () => {
  let world: PushWorld;
  let target: Target;
  let transport: Transport;

  before(async () => {
    world = await startPushWorld();
    target = {
      url: world.url,
      keys: await createTestApp(world.deps, { name: 'Replayed' }),
      clock: world.clock,
    };
    transport = createTransport(new URL(world.url));
  });
  after(async () => {
    transport?.close();
    await world?.close();
  });

  test('issue 9.3: the same signed factor=push request sent twice: the second is 401/40103, one push went out', async () => {
    await world.enroll('rita');
    const request = capture(target, 'POST', '/auth/v2/auth', { username: 'rita', ...PUSH });
    const first = assertOk(await transport.send(request)) as { txid: string };
    assert.equal(typeof first.txid, 'string');
    assertReplayRefused(await transport.send(request));
    assert.deepEqual(
      world.notices.deviceRequests.filter((notice) => notice.txid !== first.txid),
      [],
      'no push other than the first',
    );
    assert.equal(world.notices.deviceRequests.length, 1);
  });

  test('issue 9.3: a replayed POST /enroll creates nothing more', async () => {
    const request = capture(target, 'POST', '/auth/v2/enroll', { valid_secs: '600' });
    const first = assertOk(await transport.send(request)) as { username: string };
    assertReplayRefused(await transport.send(request));
    assert.ok(await world.deps.store.users.findByName(first.username));
  });

  test('the replay is refused whatever the first answer was, and a fresh request still works', async () => {
    await world.enroll('sam');
    // A 400 still used the request: a copy must not get a second try.
    const bad = capture(target, 'POST', '/auth/v2/auth', { username: 'sam', factor: 'passcode' });
    assertFail(await transport.send(bad), 400, 40001);
    assertReplayRefused(await transport.send(bad));
    world.clock.advance(1_000);
    const fresh = capture(target, 'POST', '/auth/v2/auth', { username: 'sam', ...PUSH });
    assert.equal(typeof (assertOk(await transport.send(fresh)) as { txid?: unknown }).txid, 'string');
  });

  test('read-only calls sent twice with the same signature are answered twice (check, preauth, auth_status, enroll_status)', async () => {
    const { device, userId, activationCode } = await world.enroll('tina');
    world.clock.advance(1_000);
    const started = assertOk(
      await transport.send(capture(target, 'POST', '/auth/v2/auth', { username: 'tina', ...PUSH })),
    ) as { txid: string };
    // Settled, so a repeated poll answers at once instead of holding (a long poll is no refusal, only slow).
    assert.equal(await device.deny(started.txid), 'deny');
    const repeatable = [
      capture(target, 'GET', '/auth/v2/check', {}),
      capture(target, 'POST', '/auth/v2/check', {}),
      capture(target, 'POST', '/auth/v2/preauth', { username: 'tina' }),
      // The first poll of a transaction answers at once: a client polling twice in one second sends this twice.
      capture(target, 'GET', '/auth/v2/auth_status', { txid: started.txid }),
      capture(target, 'POST', '/auth/v2/enroll_status', { user_id: userId, activation_code: activationCode }),
    ];
    for (const request of repeatable) {
      const answers = [await transport.send(request), await transport.send(request)];
      for (const answer of answers) assertOk(answer);
    }
  });

  test('issue 9.3: a request dated ahead of the server is remembered until its own Date leaves the window', async () => {
    await world.enroll('uma');
    world.clock.advance(1_000);
    // Signed by a client whose clock runs the full 5 minutes ahead: still accepted.
    const ahead = { ...target, clock: { now: () => world.clock.now() + 5 * 60_000 } };
    const request = capture(ahead, 'POST', '/auth/v2/auth', { username: 'uma', ...PUSH });
    assertOk(await transport.send(request));
    // 9 minutes later the Date is 4 minutes old, inside the window: the record (and the refusal) must still hold,
    // though expired records are purged as claims come in.
    world.clock.advance(9 * 60_000);
    assertReplayRefused(await transport.send(request));
    world.clock.advance(60_001);
    assertFail(await transport.send(request), 401, 40105);
  });

  test('a request whose Date has left the window is refused as stale (40105), as before', async () => {
    const request = capture(target, 'POST', '/auth/v2/auth', {
      username: 'nobody',
      factor: 'passcode',
      passcode: '1',
    });
    world.clock.advance(5 * 60_000 + 1_000);
    assertFail(await transport.send(request), 401, 40105);
  });
});

const REPLAYS = 500;

/** One captured push sent REPLAYS times at once: exactly one is accepted, every other is 401/40103. */
function volumeSuite(name: string, config: () => Record<string, unknown>): void {
  describe(name, () => {
    let server: TestServer;
    let target: Target;
    let transport: Transport;

    before(async () => {
      server = await startTestServer({ config: config() });
      target = { url: server.url, keys: await createTestApp(server.deps), clock: server.clock };
      transport = createTransport(new URL(server.url));
    });
    after(async () => {
      transport?.close();
      await server?.close();
    });

    test(`issue 9.3: ${REPLAYS} replays of one captured factor=push request in parallel: exactly one accepted`, async () => {
      const client = createAuthApiClient({
        baseUrl: server.url,
        ...target.keys,
        clock: () => server.clock.now(),
      });
      const enrolled = await client.enroll({ username: 'volume' });
      client.close();
      await activateDevice(enrolled.activation_url);
      const request = capture(target, 'POST', '/auth/v2/auth', { username: 'volume', ...PUSH });
      const answers = await Promise.all(Array.from({ length: REPLAYS }, () => transport.send(request)));
      const accepted = answers.filter((answer) => answer.status === 200);
      assert.equal(accepted.length, 1, `statuses: ${[...new Set(answers.map((answer) => answer.status))]}`);
      for (const answer of answers) if (answer.status !== 200) assertReplayRefused(answer);
      const transactions = await server.deps.store.transactions.listRecentForUser(enrolled.user_id, 0, 1_000);
      assert.equal(transactions.length, 1, 'one transaction, so one push');
      assert.equal(transactions[0]?.state, 'pushed');
    });
  });
}

volumeSuite('replays under volume (SQLite)', () => ({}));

const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('replays under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgServer);
  });
  after(() => database?.drop());
  volumeSuite('replays under volume (PostgreSQL)', () => {
    if (!database) throw new Error('the test database was not created');
    return { database_url: database.url };
  });
}
