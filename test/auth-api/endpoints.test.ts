// Every Auth API v2 endpoint over real HTTP with our client: v2 (form bodies) and v5 (JSON bodies).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { beginTransaction, submitPasscode } from '../../src/core/transaction/index.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  issueTestBypassCodes,
  startTestServer,
  TEST_START_MS,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertFail, assertOk, rejectsWith } from './envelope-assertions.ts';

let server: TestServer;
let keys: { ikey: string; skey: string };

before(async () => {
  server = await startTestServer();
  keys = await createTestApp(server.deps);
});
after(() => server.close());

/** A 6-digit code that no step within ±2 of now accepts. */
function wrongCode(totp: TestTotp, nowMs: number): string {
  const near = new Set([-2, -1, 0, 1, 2].map((step) => totp.codeAt(nowMs + step * 30_000)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

test('ping needs no credentials: no Authorization, garbage Authorization, or signed', async () => {
  const expected = { time: Math.floor(TEST_START_MS / 1000) };
  const bare = await fetch(`${server.url}/auth/v2/ping`);
  assert.equal(bare.status, 200);
  assert.match(bare.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await bare.json(), { stat: 'OK', response: expected });

  const garbage = await fetch(`${server.url}/auth/v2/ping`, { headers: { authorization: 'Basic !!!' } });
  assert.deepEqual(await garbage.json(), { stat: 'OK', response: expected });

  const client = createAuthApiClient({ baseUrl: server.url, ikey: 'DIUNKNOWNUNKNOWNUNKN', skey: 'x' });
  try {
    assert.deepEqual(await client.ping(), expected);
  } finally {
    client.close();
  }
});

test('the client keeps its connection alive: sequential calls share one connection', async () => {
  let connections = 0;
  const count = () => {
    connections++;
  };
  server.http.fastify.server.on('connection', count);
  const client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
  try {
    for (let i = 0; i < 5; i++) await client.check();
    await client.send('GET', '/auth/v2/no-such-endpoint');
    assert.equal(connections, 1);
  } finally {
    client.close();
    server.http.fastify.server.off('connection', count);
  }
});

test('an unknown path is a 404 JSON envelope, signed or not', async () => {
  const bare = await fetch(`${server.url}/auth/v2/no-such-endpoint?x=1`, { method: 'POST' });
  assert.equal(bare.status, 404);
  assert.deepEqual(await bare.json(), { stat: 'FAIL', code: 40401, message: 'Resource not found' });
  const client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
  try {
    assertFail(await client.send('GET', '/auth/v2/no-such-endpoint'), 404, 40401);
  } finally {
    client.close();
  }
});

test('any unknown path under /auth/, whatever its version, is a Duo 404 envelope; /authx is not ours', async () => {
  for (const [method, url] of [
    ['GET', '/auth/v3/x'],
    ['POST', '/auth/v1/preauth'],
    ['GET', '/auth/nope'],
    ['GET', '/auth/'],
    ['GET', '/auth'],
    ['DELETE', '/auth/v9/users/1?x=1'],
  ] as const) {
    const answer = await server.http.fastify.inject({ method, url });
    assert.equal(answer.statusCode, 404, `${method} ${url}`);
    assert.match(String(answer.headers['content-type']), /^application\/json/);
    assert.deepEqual(answer.json(), { stat: 'FAIL', code: 40401, message: 'Resource not found' }, url);
  }
  const outside = await server.http.fastify.inject({ method: 'GET', url: '/authx' });
  assert.equal(outside.statusCode, 404);
  assert.equal(outside.json().stat, undefined);
});

test('a malformed URL under any /auth/ version gets a Duo envelope, not the generic error', async () => {
  for (const url of ['/auth/v1/%', '/auth/v3/%zz']) {
    const answer = await server.http.fastify.inject({ method: 'GET', url });
    assert.equal(answer.statusCode, 400, url);
    assert.deepEqual(
      { stat: answer.json().stat, code: answer.json().code },
      { stat: 'FAIL', code: 40002 },
      url,
    );
  }
});

test('logo: 40401 without a configured logo; the configured PNG as image/png', async () => {
  const client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
  try {
    const none = await client.send('GET', '/auth/v2/logo');
    assert.equal(assertFail(none, 404, 40401).message, 'Resource not found');
    await rejectsWith(client.logo(), 404, 40401);
  } finally {
    client.close();
  }

  // A PNG signature and an IHDR start are enough: the server sends the file's bytes, it does not decode them.
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const logoFile = join(tmpdir(), `countersign-logo-${process.pid}-${Date.now()}.png`);
  await writeFile(logoFile, png);
  const withLogo = await startTestServer({ config: { 'auth_api.logo_file': logoFile } });
  const logoKeys = await createTestApp(withLogo.deps);
  const logoClient = createAuthApiClient({
    baseUrl: withLogo.url,
    ...logoKeys,
    clock: () => withLogo.clock.now(),
  });
  try {
    const raw = await logoClient.send('GET', '/auth/v2/logo');
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'image/png');
    assert.deepEqual(await logoClient.logo(), png);
  } finally {
    logoClient.close();
    await withLogo.close();
  }
});

for (const signatureVersion of [2, 5] as const) {
  const bodies = signatureVersion === 2 ? 'form bodies' : 'JSON bodies';
  describe(`signature v${signatureVersion} (${bodies})`, () => {
    let client: AuthApiClient;
    let totp: TestTotp;
    const name = (base: string) => `${base}-v${signatureVersion}`;

    before(async () => {
      client = createAuthApiClient({
        baseUrl: server.url,
        ...keys,
        signatureVersion,
        clock: () => server.clock.now(),
      });
      const alice = await createTestUser(server.deps, name('alice'), { aliases: [name('a.liddell')] });
      totp = await addTestTotp(server.deps, alice);
      await createTestUser(server.deps, name('dora'), { status: 'disabled' });
      await createTestUser(server.deps, name('bob'), { status: 'bypass' });
    });
    after(() => client.close());

    test('check answers with the server time', async () => {
      assert.deepEqual(await client.check(), { time: Math.floor(server.clock.now() / 1000) });
    });

    test('preauth of an enrolled user: auth, with the device and its capabilities', async () => {
      const answer = await client.preauth({ username: name('alice') });
      assert.equal(answer.result, 'auth');
      assert.ok(answer.result === 'auth');
      assert.deepEqual(
        answer.devices.map((device) => ({
          device: device.device,
          type: device.type,
          capabilities: device.capabilities,
        })),
        [{ device: totp.authenticator.id, type: 'phone', capabilities: ['mobile_otp'] }],
      );
      assert.equal(answer.devices[0]?.display_name, 'Authenticator app');
    });

    test('preauth by alias finds the same user', async () => {
      const answer = await client.preauth({ username: name('a.liddell') });
      assert.ok(answer.result === 'auth', `expected auth, got ${answer.result}`);
      assert.equal(answer.devices[0]?.device, totp.authenticator.id);
    });

    test('preauth of an unknown user under the default policy: enroll, with the portal URL', async () => {
      const answer = await client.preauth({ username: name('nobody') });
      assert.deepEqual(answer, {
        result: 'enroll',
        status_msg: 'Enroll an authentication device to proceed',
        enroll_portal_url: `${server.url}/portal`,
      });
    });

    test('preauth of a disabled user is deny; of a user in bypass status, allow', async () => {
      const disabled = await client.preauth({ username: name('dora') });
      assert.deepEqual(disabled, { result: 'deny', status_msg: 'Your account is disabled.' });
      const bypass = await client.preauth({ username: name('bob') });
      assert.deepEqual(bypass, { result: 'allow', status_msg: 'Allowing user in bypass mode.' });
    });

    test('auth with a valid TOTP code allows once; the replay and a wrong code are denied', async () => {
      const code = totp.codeAt(server.clock.now());
      const first = await client.auth({ username: name('alice'), factor: 'passcode', passcode: code });
      assert.deepEqual(first, { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' });
      // A second request with the same code (the same signed request again would be refused as a replay).
      const replay = await client.auth({
        username: name('alice'),
        factor: 'passcode',
        passcode: code,
        ipaddr: '192.0.2.1',
      });
      assert.equal(replay.result, 'deny');
      assert.equal(replay.status, 'deny');
      const wrong = wrongCode(totp, server.clock.now());
      const denied = await client.auth({ username: name('alice'), factor: 'passcode', passcode: wrong });
      assert.deepEqual(denied, {
        result: 'deny',
        status: 'deny',
        status_msg: 'Incorrect passcode. Please try again.',
      });
    });

    test('a bypass code allows once, then the same code is denied', async () => {
      const user = await createTestUser(server.deps, name('carol'));
      const [code] = await issueTestBypassCodes(server.deps, user);
      assert.ok(code);
      const first = await client.auth({ username: name('carol'), factor: 'passcode', passcode: code });
      assert.equal(first.result, 'allow');
      const again = await client.auth({
        username: name('carol'),
        factor: 'passcode',
        passcode: code,
        ipaddr: '192.0.2.1',
      });
      assert.equal(again.result, 'deny');
    });

    test('async=1 returns a txid at once; auth_status gives the final result', async () => {
      // The next time step: the earlier test spent this one.
      server.clock.advance(30_000);
      const code = totp.codeAt(server.clock.now());
      const started = await client.auth({
        username: name('alice'),
        factor: 'passcode',
        passcode: code,
        async: 1,
      });
      assert.deepEqual(Object.keys(started), ['txid']);
      assert.equal(typeof started.txid, 'string');
      const status = await client.authStatus(started.txid);
      assert.deepEqual(status, {
        result: 'allow',
        status: 'allow',
        status_msg: 'Success. Logging you in...',
      });

      const failed = await client.auth({
        username: name('alice'),
        factor: 'passcode',
        passcode: code,
        async: 1,
        ipaddr: '192.0.2.1',
      });
      assert.equal((await client.authStatus(failed.txid)).result, 'deny');
    });

    test('auth_status answers at once first, then holds until the transaction changes (long poll)', async () => {
      server.clock.advance(30_000);
      const user = await server.deps.store.users.findByName(name('alice'));
      const app = await server.deps.store.applications.findByIkey(keys.ikey);
      assert.ok(user && app);
      const { tx } = await beginTransaction(server.deps, { app, user, ip: null, factor: null });
      assert.equal(tx.state, 'awaiting_factor');
      const waiting = { result: 'waiting', status: 'waiting', status_msg: 'Waiting for a second factor...' };
      assert.deepEqual(await client.authStatus(tx.id), waiting);
      const held = client.authStatus(tx.id);
      // Decide the transaction while the second poll is (very likely) held; one that did not hold says `waiting`.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await submitPasscode(server.deps, tx.id, totp.codeAt(server.clock.now()));
      assert.deepEqual(await held, {
        result: 'allow',
        status: 'allow',
        status_msg: 'Success. Logging you in...',
      });
    });

    test('auth_status of an unknown txid is 40002 naming txid', async () => {
      const error = await rejectsWith(client.authStatus('no-such-transaction'), 400, 40002);
      assert.equal(error.detail, 'txid');
    });

    test('factor=push for a user without a push device is 400 40002 "no capable device"', async () => {
      const response = await client.send('POST', '/auth/v2/auth', {
        username: name('alice'),
        factor: 'push',
        device: 'auto',
      });
      const body = assertFail(response, 400, 40002);
      assert.equal(body.message, 'Invalid request parameters');
      assert.equal(body.message_detail, 'no capable device');
    });

    test('enroll creates a user and an activation; enroll_status says waiting, or invalid for a wrong code', async () => {
      const enrolled = await client.enroll({ username: name('newcomer'), valid_secs: 600 });
      assert.equal(enrolled.username, name('newcomer'));
      assert.equal(enrolled.expiration, Math.floor(server.clock.now() / 1000) + 600);
      assert.ok(await server.deps.store.users.get(enrolled.user_id), 'the user exists');
      const params = { user_id: enrolled.user_id, activation_code: enrolled.activation_code };
      assert.equal(await client.enrollStatus(params), 'waiting');
      assert.equal(await client.enrollStatus({ ...params, activation_code: 'not-a-code' }), 'invalid');
      const duplicate = await rejectsWith(client.enroll({ username: name('newcomer') }), 400, 40003);
      assert.equal(duplicate.detail, 'username');
    });

    test('missing parameters are 400 40001 naming the parameter', async () => {
      const cases: Array<[string, string, Record<string, string>, string]> = [
        ['POST', '/auth/v2/auth', { username: name('alice') }, 'factor'],
        ['POST', '/auth/v2/auth', { username: name('alice'), factor: 'passcode' }, 'passcode'],
        ['POST', '/auth/v2/auth', { factor: 'passcode', passcode: '123456' }, 'username'],
        ['POST', '/auth/v2/preauth', {}, 'username'],
        ['GET', '/auth/v2/auth_status', {}, 'txid'],
      ];
      for (const [method, path, params, missing] of cases) {
        const body = assertFail(await client.send(method, path, params), 400, 40001);
        assert.equal(body.message_detail, missing, `${method} ${path} ${JSON.stringify(params)}`);
        // The same call again must be a new request: POST /auth refuses a replayed signature (issue 9.3).
        server.clock.advance(1_000);
        const error = await rejectsWith(client.call(method, path, params), 400, 40001);
        assert.equal(error.detail, missing);
      }
    });

    test('bad values are 400 40002: an unknown factor, a bad ipaddr, user_id and username together', async () => {
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ username: name('alice'), factor: 'carrier-pigeon' }, /^factor$/],
        [{ username: name('alice'), factor: 'passcode', passcode: '1', ipaddr: 'not-an-ip' }, /^ipaddr$/],
        [{ username: name('alice'), user_id: 'DUX', factor: 'passcode', passcode: '1' }, /not both/],
      ];
      for (const [params, detail] of cases) {
        const body = assertFail(await client.send('POST', '/auth/v2/auth', params), 400, 40002);
        assert.match(body.message_detail ?? '', detail);
      }
    });

    test('unknown extra parameters are ignored (§3), not a 400', async () => {
      const response = await client.send('POST', '/auth/v2/preauth', {
        username: name('bob'),
        hostname: 'workstation',
        deprecated_thing: 'yes',
      });
      assert.deepEqual(assertOk(response), { result: 'allow', status_msg: 'Allowing user in bypass mode.' });
    });

    test('async given as a number or a boolean (§3: their string forms) still answers with a txid', async () => {
      for (const async of [1, true]) {
        const started = await client.call('POST', '/auth/v2/auth', {
          username: name('alice'),
          factor: 'passcode',
          passcode: wrongCode(totp, server.clock.now()),
          async,
        });
        assert.equal(typeof (started as { txid?: unknown }).txid, 'string', JSON.stringify(started));
      }
    });
  });
}
