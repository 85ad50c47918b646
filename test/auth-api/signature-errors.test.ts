// Signature failures through real HTTP: 40101 credentials, 40102 ikey, 40103 signature, 40104/40105 date.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { buildSignedRequest, type SignatureVersion } from '../../src/client/sign-request.ts';
import { createTransport, type Transport } from '../../src/client/transport.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { APPLICATION_TYPES } from '../../src/core/model.ts';
import { authorizationHeader, signV2, signV5 } from '../../src/crypto/duo-signature/index.ts';
import { createTestApp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

let server: TestServer;
let keys: { ikey: string; skey: string };
let transport: Transport;

before(async () => {
  server = await startTestServer();
  keys = await createTestApp(server.deps);
  await createTestUser(server.deps, 'bob', { status: 'bypass' });
  transport = createTransport(new URL(server.url));
});
after(async () => {
  transport.close();
  await server.close();
});

const MINUTE = 60_000;

/** A signed preauth for bob, signed for the server's host and the server's clock unless told otherwise. */
function signedPreauth(
  version: SignatureVersion,
  overrides: { skey?: string; ikey?: string; dateMs?: number } = {},
) {
  return buildSignedRequest({
    method: 'POST',
    host: new URL(server.url).host,
    path: '/auth/v2/preauth',
    params: { username: 'bob' },
    ikey: overrides.ikey ?? keys.ikey,
    skey: overrides.skey ?? keys.skey,
    signatureVersion: version,
    date: new Date(overrides.dateMs ?? server.clock.now()).toUTCString(),
  });
}

for (const version of [2, 5] as const) {
  test(`v${version}: the untouched request is accepted (the baseline the failures below change)`, async () => {
    assert.deepEqual(assertOk(await transport.send(signedPreauth(version))), {
      result: 'allow',
      status_msg: 'Allowing user in bypass mode.',
    });
  });

  test(`v${version}: 40101 for a missing, non-Basic or garbled Authorization`, async () => {
    const request = signedPreauth(version);
    const variants: Array<string | undefined> = [
      undefined,
      'Bearer abc',
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      `Basic ${Buffer.from(`${keys.ikey}:not-hex`).toString('base64')}`,
    ];
    for (const authorization of variants) {
      const { Authorization: _, ...headers } = request.headers;
      const sent = authorization === undefined ? headers : { ...headers, Authorization: authorization };
      const body = assertFail(await transport.send({ ...request, headers: sent }), 401, 40101);
      assert.equal(body.message, 'Missing request credentials', String(authorization));
    }
  });

  test(`v${version}: 40102 for an integration key the server does not know`, async () => {
    const request = signedPreauth(version, { ikey: 'DIAAAAAAAAAAAAAAAAAA' });
    const body = assertFail(await transport.send(request), 401, 40102);
    assert.equal(body.message, 'Invalid integration key in request credentials');
  });

  test(`issue 15: v${version}: 40102 for the keys of an application that is not an Auth API integration`, async () => {
    for (const type of APPLICATION_TYPES.filter((t) => t !== 'auth-api')) {
      const { app, skey } = await createApplication(server.deps, 'test', {
        name: `not-auth-api-${type}-v${version}`,
        type,
      });
      const request = signedPreauth(version, { ikey: app.ikey, skey });
      const body = assertFail(await transport.send(request), 401, 40102);
      assert.equal(body.message, 'Invalid integration key in request credentials', type);
    }
  });

  test(`v${version}: 40103 for a wrong secret key`, async () => {
    const request = signedPreauth(version, { skey: 'x'.repeat(40) });
    const body = assertFail(await transport.send(request), 401, 40103);
    assert.equal(body.message, 'Invalid signature in request credentials');
  });

  test(`v${version}: 40103 when the body is changed after signing`, async () => {
    const request = signedPreauth(version);
    // Same length, another user: only the signature can notice.
    const tampered = Buffer.from(request.body.toString('utf8').replace('bob', 'eve'));
    assert.notDeepEqual(tampered, request.body);
    assertFail(await transport.send({ ...request, body: tampered }), 401, 40103);
  });

  test(`v${version}: 40104 without a Date or X-Duo-Date header`, async () => {
    const { Date: _, ...headers } = signedPreauth(version).headers;
    const body = assertFail(await transport.send({ ...signedPreauth(version), headers }), 401, 40104);
    assert.equal(body.message, 'Missing request timestamp');
  });

  test(`v${version}: 40105 for a date 6 minutes off either way or unparseable; 4 minutes is fine`, async () => {
    const now = server.clock.now();
    for (const offset of [6 * MINUTE, -6 * MINUTE]) {
      const body = assertFail(
        await transport.send(signedPreauth(version, { dateMs: now + offset })),
        401,
        40105,
      );
      assert.equal(body.message, 'Bad request timestamp');
    }
    const request = signedPreauth(version);
    assertFail(
      await transport.send({ ...request, headers: { ...request.headers, Date: 'yesterday' } }),
      401,
      40105,
    );
    assertOk(await transport.send(signedPreauth(version, { dateMs: now - 4 * MINUTE })));
  });

  test(`v${version}: the client surfaces a skewed clock as AuthApiError 40105`, async () => {
    // The client's own clock stands still, 6 minutes ahead of the server's.
    const clientNow = server.clock.now() + 6 * MINUTE;
    const skewed = createAuthApiClient({
      baseUrl: server.url,
      ...keys,
      signatureVersion: version,
      clock: () => clientNow,
    });
    try {
      await assert.rejects(skewed.check(), { name: 'AuthApiError', httpStatus: 401, code: 40105 });
      // The server's clock catches up: the same client now passes.
      server.clock.advance(6 * MINUTE);
      assert.deepEqual(await skewed.check(), { time: Math.floor(server.clock.now() / 1000) });
    } finally {
      skewed.close();
    }
  });
}

describe('issue 15: the whole HMAC is compared, up to its last hex digit', () => {
  /** A preauth for bob signed as Duo's clients sign that version, its last hex digit flipped if asked. */
  function preauthSignedWith(version: 2 | 5, algorithm: 'sha1' | 'sha512', flipLast: boolean) {
    const date = new Date(server.clock.now()).toUTCString();
    const host = new URL(server.url).host;
    const head = { date, method: 'POST', host, path: '/auth/v2/preauth', skey: keys.skey };
    const form = 'username=bob';
    const json = '{"username":"bob"}';
    const signature =
      version === 2
        ? signV2({ ...head, params: [['username', 'bob']], algorithm })
        : signV5({ ...head, params: [], body: json, xDuoHeaders: {} });
    // Flipping the lowest bit of the last digit keeps it a lowercase hex digit.
    const last = (Number.parseInt(signature.slice(-1), 16) ^ 1).toString(16);
    const sent = flipLast ? signature.slice(0, -1) + last : signature;
    const body = version === 2 ? form : json;
    return {
      method: 'POST',
      target: '/auth/v2/preauth',
      headers: {
        Date: date,
        Host: host,
        Authorization: authorizationHeader(keys.ikey, sent),
        'Content-Type': version === 2 ? 'application/x-www-form-urlencoded' : 'application/json',
        'Content-Length': String(body.length),
      },
      body: Buffer.from(body),
    };
  }

  for (const [version, algorithm] of [
    [2, 'sha1'],
    [2, 'sha512'],
    [5, 'sha512'],
  ] as const) {
    test(`issue 15: v${version} ${algorithm}: the last hex digit flipped → 40103 (unflipped: accepted)`, async () => {
      assertOk(await transport.send(preauthSignedWith(version, algorithm, false)));
      const body = assertFail(await transport.send(preauthSignedWith(version, algorithm, true)), 401, 40103);
      assert.equal(body.message, 'Invalid signature in request credentials');
    });
  }
});
