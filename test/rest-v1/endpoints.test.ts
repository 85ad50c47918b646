// REST v1 on the wire: every answer duo_unix 1.11.3 could get, and that none but a bad signature is a 401 or a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serialize } from 'bson';
import type { User } from '../../src/core/model.ts';
import type { DeviceClient } from '../../src/device-client/client.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { addTestTotp, createTestUser, type TestTotp } from '../support/server.ts';
import { sendV1, signedV1, type V1Answer, v1QueryString } from './wire.ts';
import { approveWhenAsked, type DuoUnixWorld, startDuoUnixWorld } from './world.ts';

/** The `response` of an OK answer (failing the test otherwise). */
function responseOf(answer: V1Answer): Record<string, unknown> {
  assert.equal(answer.body?.stat, 'OK', JSON.stringify(answer.body));
  return answer.body?.response as Record<string, unknown>;
}

/** The denial shapes duo_unix reads as "denied" (src/fronts/rest-v1/denial.ts). */
function assertDeniedWithResult(answer: V1Answer, status?: RegExp): void {
  assert.equal(answer.status, 200);
  assert.equal(answer.body?.stat, 'OK', JSON.stringify(answer.body));
  const response = answer.body?.response as { result?: string; status?: string };
  assert.equal(response.result, 'deny');
  assert.equal(typeof response.status, 'string');
  if (status) assert.match(response.status ?? '', status);
}

function assertFailEnvelope(answer: V1Answer, message?: RegExp): void {
  assert.equal(answer.status, 200);
  assert.equal(answer.body?.stat, 'FAIL', JSON.stringify(answer.body));
  assert.equal(typeof answer.body?.code, 'number');
  if (message) assert.match(String(answer.body?.message), message);
}

function cases(database: () => Promise<{ url?: string; drop(): Promise<void> }>) {
  let world: DuoUnixWorld;
  let db: { url?: string; drop(): Promise<void> };
  let keys: { ikey: string; skey: string };
  let alice: User;
  let totp: TestTotp;
  let bobsPhone: DeviceClient;

  before(async () => {
    db = await database();
    world = await startDuoUnixWorld({
      ...(db.url !== undefined && { database_url: db.url }),
      // A held request gives up after two seconds of the server's clock here (300 by default).
      'auth_api.max_sync_wait_seconds': 2,
    });
    keys = await world.app();
    alice = await createTestUser(world.server.deps, 'alice');
    totp = await addTestTotp(world.server.deps, alice);
    bobsPhone = await world.device(await createTestUser(world.server.deps, 'bob'));
  });
  after(async () => {
    await world?.close();
    await db?.drop();
  });

  const call = (method: 'GET' | 'POST', path: string, params: Record<string, string>) =>
    signedV1(world, keys, method, path, params);

  /** Waits for a held status poll of `txid`, moving the server's clock on (waits end on deps.clock) and waking it. */
  async function heldPastLimit<T>(txid: string, answer: Promise<T>): Promise<T> {
    let done = false;
    const settled = answer.finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (done) break;
      world.server.clock.advance(250);
      // A message about the transaction makes the waiter read it again (and see its deadline passed).
      await world.server.deps.bus.publish({ topic: `tx:${txid}` });
    }
    return settled;
  }

  test('issue 10: preauth answers the menu duo_unix prints, in BSON', async () => {
    const answer = await call('POST', '/rest/v1/preauth.bson', {
      user: 'bob',
      hostname: 'bastion',
      failmode: 'closed',
      ipaddr: '198.51.100.7',
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      stat: 'OK',
      response: {
        result: 'auth',
        status: 'Account is active',
        prompt:
          'Countersign login for bob\n\nChoose or enter a passcode:\n\n 1. Push to headless\n\nPasscode or option (1-1): ',
        factors: { '1': 'push1', default: 'push1' },
      },
    });
    const tokenOnly = await call('POST', '/rest/v1/preauth.bson', { user: 'alice' });
    assert.deepEqual(tokenOnly.body?.response, {
      result: 'auth',
      status: 'Account is active',
      prompt: 'Countersign login for alice\n\nPasscode: ',
      factors: {},
    });
  });

  test('issue 10: a synchronous passcode auth answers result and status; canonical usernames apply', async () => {
    const passcode = totp.codeAt(world.server.clock.now());
    const allowed = await call('POST', '/rest/v1/auth.bson', {
      user: ' ALICE ',
      factor: 'auto',
      auto: passcode,
      async: '0',
      pushinfo: 'Server+IP=192.0.2.1&Command=',
    });
    assert.deepEqual(allowed.body, {
      stat: 'OK',
      response: { result: 'allow', status: 'Success. Logging you in...' },
    });
    // The same request again (a capture replayed): the code is spent.
    const replayed = await call('POST', '/rest/v1/auth.bson', {
      user: ' ALICE ',
      factor: 'auto',
      auto: passcode,
      async: '0',
      pushinfo: 'Server+IP=192.0.2.1&Command=',
    });
    assertDeniedWithResult(replayed);
    world.server.clock.advance(30_000);
  });

  test('issue 10: an async push: the first status poll shows the line, the next holds until the device answers', async () => {
    const started = await call('POST', '/rest/v1/auth.bson', {
      user: 'bob',
      factor: 'auto',
      auto: 'push1',
      async: '1',
      pushinfo: 'Server+IP=192.0.2.1&Command=ls%20-l',
    });
    const txid = String(responseOf(started).txid);
    assert.match(txid, /^[0-9a-f-]{36}$/);
    const [request] = await bobsPhone.pending();
    assert.deepEqual(request?.details, [
      ['Server IP', '192.0.2.1'],
      ['Command', 'ls -l'],
    ]);
    const first = await call('GET', '/rest/v1/status.bson', { txid });
    assert.deepEqual(first.body, {
      stat: 'OK',
      response: { status: 'Pushed a login request to your device...' },
    });
    const [held] = await Promise.all([
      call('GET', '/rest/v1/status.bson', { txid }),
      approveWhenAsked(bobsPhone),
    ]);
    assert.deepEqual(held.body, {
      stat: 'OK',
      response: { result: 'allow', status: 'Success. Logging you in...' },
    });
  });

  test('issue 10: status answers without a result once only; a poll held past the limit is a denial', async () => {
    // duo_unix 1.11.3 polls 20 times and lets the user in when none of the answers had a result.
    world.server.clock.advance(60 * 60_000);
    const started = await call('POST', '/rest/v1/auth.bson', {
      user: 'bob',
      factor: 'auto',
      auto: 'push1',
      async: '1',
    });
    const txid = String(responseOf(started).txid);
    const first = await call('GET', '/rest/v1/status.bson', { txid });
    assert.equal('result' in responseOf(first), false);
    for (let poll = 2; poll <= 3; poll++) {
      assertDeniedWithResult(
        await heldPastLimit(txid, call('GET', '/rest/v1/status.bson', { txid })),
        /not approved in time/,
      );
    }
    const [request] = await bobsPhone.pending();
    await bobsPhone.deny(request!.txid);
  });

  test('issue 10: each failure is the denial duo_unix reads as one, never a 5xx or a 401', async () => {
    world.server.clock.advance(60 * 60_000);
    // preauth: a result the client shows, then aborts.
    assertDeniedWithResult(await call('POST', '/rest/v1/preauth.bson', {}), /names no user/);
    assertDeniedWithResult(
      await call('POST', '/rest/v1/preauth.bson', { user: 'ali\u0441e' }),
      /not valid: .*Latin and Cyrillic/,
    );
    // A user nobody has follows the new-user policy (enroll by default), as on the Auth API.
    const stranger = await call('POST', '/rest/v1/preauth.bson', { user: 'nobody' });
    assert.equal(responseOf(stranger).result, 'enroll');
    // auth with async=0: a result; with async=1 (which wants a txid): FAIL.
    const phone = { user: 'bob', factor: 'auto', auto: 'phone1' };
    assertDeniedWithResult(await call('POST', '/rest/v1/auth.bson', { ...phone, async: '0' }), /Phone calls/);
    assertFailEnvelope(await call('POST', '/rest/v1/auth.bson', { ...phone, async: '1' }), /Phone calls/);
    assertFailEnvelope(
      await call('POST', '/rest/v1/auth.bson', { user: 'nobody', factor: 'auto', auto: '1' }),
    );
    assertFailEnvelope(await call('POST', '/rest/v1/auth.bson', { user: 'bob', factor: 'sms', auto: 'x' }));
    assertFailEnvelope(
      await call('POST', '/rest/v1/auth.bson', { user: 'bob', factor: 'auto', auto: 'push7', async: '1' }),
      /no capable device/,
    );
    assertFailEnvelope(
      await call('POST', '/rest/v1/auth.bson', {
        user: 'bob',
        factor: 'auto',
        auto: 'push1',
        pushinfo: 'x'.repeat(20_000),
      }),
    );
    // status: unknown, another application's, or no txid.
    assertDeniedWithResult(await call('GET', '/rest/v1/status.bson', { txid: 'no-such-login' }));
    assertDeniedWithResult(await call('GET', '/rest/v1/status.bson', {}));
    const otherKeys = await world.app();
    const passcode = totp.codeAt(world.server.clock.now());
    const theirs = await signedV1(world, otherKeys, 'POST', '/rest/v1/auth.bson', {
      user: 'alice',
      factor: 'auto',
      auto: passcode,
      async: '1',
    });
    const txid = String(responseOf(theirs).txid);
    assertDeniedWithResult(await call('GET', '/rest/v1/status.bson', { txid }), /No such login/);
    // An application with REST v1 switched off: signed correctly, denied with the reason.
    const off = await world.app({ legacyRestV1: false });
    assertDeniedWithResult(
      await signedV1(world, off, 'POST', '/rest/v1/preauth.bson', { user: 'alice' }),
      /switched off/,
    );
    // Bodies no client sends: too large, badly encoded, BSON instead of a form.
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    assertDeniedWithResult(
      await sendV1(world, 'POST', '/rest/v1/preauth.bson', form, `user=${'a'.repeat(70_000)}`),
    );
    assertDeniedWithResult(await sendV1(world, 'POST', '/rest/v1/preauth.bson', form, 'user=%zz'));
    const bson = { 'Content-Type': 'application/bson' };
    assertDeniedWithResult(
      await sendV1(
        world,
        'POST',
        '/rest/v1/preauth.bson',
        bson,
        Buffer.from(serialize({ user: 1 })).toString(),
      ),
    );
  });

  test('issue 10: a refused signature is the only 401; unknown paths are 404', async () => {
    const qs = v1QueryString({ user: 'alice' });
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const noCredentials = await sendV1(world, 'POST', '/rest/v1/preauth.bson', form, qs);
    assert.deepEqual([noCredentials.status, noCredentials.body?.code], [401, 40101]);
    const wrongKey = await signedV1(
      world,
      { ...keys, skey: 'x'.repeat(40) },
      'POST',
      '/rest/v1/preauth.bson',
      {
        user: 'alice',
      },
    );
    assert.deepEqual([wrongKey.status, wrongKey.body?.code], [401, 40103]);
    const unknownIkey = await signedV1(
      world,
      { ...keys, ikey: 'DIXXXXXXXXXXXXXXXXXX' },
      'POST',
      '/rest/v1/preauth.bson',
      {
        user: 'alice',
      },
    );
    assert.deepEqual([unknownIkey.status, unknownIkey.body?.code], [401, 40102]);
    for (const [method, path] of [
      ['POST', '/rest/v1/enroll.bson'],
      ['GET', '/rest/v1/preauth.bson'],
      ['POST', '/rest/v1/status.bson'],
      ['GET', '/rest/v2/preauth.bson'],
    ] as const) {
      const answer = await sendV1(world, method, path, {});
      assert.equal(answer.status, 404, `${method} ${path}`);
    }
  });

  test('issue 10: with the database unreachable every call is a denial (last: the store stays down)', async () => {
    const passcode = totp.codeAt(world.server.clock.now());
    await world.storeDown();
    const unavailable = /service is unavailable right now|could not be completed/;
    assertDeniedWithResult(await call('POST', '/rest/v1/preauth.bson', { user: 'alice' }), unavailable);
    const auth = { user: 'alice', factor: 'auto', auto: passcode };
    assertDeniedWithResult(await call('POST', '/rest/v1/auth.bson', { ...auth, async: '0' }), unavailable);
    assertFailEnvelope(await call('POST', '/rest/v1/auth.bson', { ...auth, async: '1' }), unavailable);
    assertDeniedWithResult(await call('GET', '/rest/v1/status.bson', { txid: 'x' }), unavailable);
  });
}

describe('REST v1 endpoints on SQLite', () => {
  cases(async () => ({ drop: async () => {} }));
});

const pg = testPgUrl();
describe('REST v1 endpoints on PostgreSQL', { skip: pg === undefined ? PG_SKIP_MESSAGE : false }, () => {
  cases(() => createTestDatabase(pg!));
});
