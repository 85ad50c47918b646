// Duo's official Node SDK (@duosecurity/duo_api 1.5.0) against Countersign over HTTPS, signatures v2 and v5.
import assert from 'node:assert/strict';
import https from 'node:https';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { manualClock } from '../../src/core/clock.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { createTestCertificates, type TestCertificates } from './test-ca.ts';

/** The SDK's surface as lib/main.js defines it (it ships no type declarations). */
interface DuoClient {
  jsonApiCall(
    method: string,
    path: string,
    params: Record<string, unknown>,
    callback: (body: unknown) => void,
  ): void;
}
interface DuoModule {
  Client: new (ikey: string, skey: string, host: string, sigVersion?: number) => DuoClient;
  SIGNATURE_VERSION_2: number;
  SIGNATURE_VERSION_5: number;
}
const duo = createRequire(import.meta.url)('@duosecurity/duo_api') as DuoModule;

/** The host the SDK is given: it always connects to port 443 with Duo's pinned CAs (§6). */
const SDK_HOST = 'localhost';

let server: TestServer;
let certificates: TestCertificates;
let keys: { ikey: string; skey: string };
let redirected = 0;
const originalRequest = https.request;

before(async () => {
  certificates = await createTestCertificates();
  // The SDK dates requests with the real time, so the server's frozen clock starts at the real time.
  server = await startTestServer({
    clock: manualClock(Date.now()),
    config: { 'http.tls_cert': certificates.certFile, 'http.tls_key': certificates.keyFile },
  });
  keys = await createTestApp(server.deps);
  // Wire reference §6, recipe 2: the SDK looks up https.request at call time; send its calls for
  // SDK_HOST to the test port with the test CA. Its explicit Host header stays `localhost`.
  const wrapped = (options: https.RequestOptions, callback?: (res: unknown) => void) => {
    if (options.host !== SDK_HOST)
      return (originalRequest as (...args: unknown[]) => unknown)(options, callback);
    redirected++;
    const target = {
      ...options,
      host: '127.0.0.1',
      servername: SDK_HOST,
      port: server.port,
      ca: certificates.caPem,
    };
    return originalRequest(target, callback as never);
  };
  (https as { request: unknown }).request = wrapped;
});
after(async () => {
  (https as { request: unknown }).request = originalRequest;
  await server?.close();
  await certificates?.remove();
});

/** One SDK call as a promise of the parsed envelope. */
function sdkCall(client: DuoClient, method: string, path: string, params: Record<string, unknown> = {}) {
  return new Promise<Record<string, unknown>>((resolve) => {
    client.jsonApiCall(method, path, params, (body) => resolve(body as Record<string, unknown>));
  });
}

test('the HTTPS server also answers our own client when it trusts the test CA', async () => {
  const client = createAuthApiClient({ baseUrl: server.url, ...keys, ca: certificates.caPem });
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await client.check(), { time: Math.floor(server.clock.now() / 1000) });
  } finally {
    client.close();
  }
});

for (const [label, sigVersion] of [
  ['v2 (form bodies, HMAC-SHA512)', duo.SIGNATURE_VERSION_2],
  ['v5 (JSON bodies)', duo.SIGNATURE_VERSION_5],
] as const) {
  describe(`Duo Node SDK, signature ${label}`, () => {
    let client: DuoClient;
    let totp: TestTotp;
    const username = `sdk-user-v${sigVersion}`;

    before(async () => {
      client = new duo.Client(keys.ikey, keys.skey, SDK_HOST, sigVersion);
      totp = await addTestTotp(server.deps, await createTestUser(server.deps, username));
    });

    test('ping and check answer with the server time', async () => {
      const before = redirected;
      const time = Math.floor(server.clock.now() / 1000);
      assert.deepEqual(await sdkCall(client, 'GET', '/auth/v2/ping'), { stat: 'OK', response: { time } });
      assert.deepEqual(await sdkCall(client, 'GET', '/auth/v2/check'), { stat: 'OK', response: { time } });
      assert.equal(redirected, before + 2, 'both calls went through the test redirect');
    });

    test('a wrong secret key is refused with 40103 (the signature is really checked)', async () => {
      const wrong = new duo.Client(keys.ikey, 'y'.repeat(40), SDK_HOST, sigVersion);
      const body = await sdkCall(wrong, 'GET', '/auth/v2/check');
      assert.equal(body.stat, 'FAIL');
      assert.equal(body.code, 40103);
    });

    test('preauth lists the TOTP device', async () => {
      const body = await sdkCall(client, 'POST', '/auth/v2/preauth', { username });
      assert.equal(body.stat, 'OK', JSON.stringify(body));
      const response = body.response as { result: string; devices: Array<{ device: string }> };
      assert.equal(response.result, 'auth');
      assert.deepEqual(
        response.devices.map((device) => device.device),
        [totp.authenticator.id],
      );
    });

    test('auth with a passcode: the valid code allows, the replay denies', async () => {
      const passcode = totp.codeAt(server.clock.now());
      const params = { username, factor: 'passcode', passcode };
      const allowed = await sdkCall(client, 'POST', '/auth/v2/auth', params);
      assert.deepEqual(allowed, {
        stat: 'OK',
        response: { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' },
      });
      const denied = await sdkCall(client, 'POST', '/auth/v2/auth', params);
      assert.deepEqual(denied, {
        stat: 'OK',
        response: { result: 'deny', status: 'deny', status_msg: 'Incorrect passcode. Please try again.' },
      });
    });

    test('async auth, then auth_status with the txid', async () => {
      server.clock.advance(30_000);
      const passcode = totp.codeAt(server.clock.now());
      const started = await sdkCall(client, 'POST', '/auth/v2/auth', {
        username,
        factor: 'passcode',
        passcode,
        async: 1,
      });
      assert.equal(started.stat, 'OK', JSON.stringify(started));
      const { txid } = started.response as { txid: string };
      assert.equal(typeof txid, 'string');
      const status = await sdkCall(client, 'GET', '/auth/v2/auth_status', { txid });
      assert.deepEqual(status, {
        stat: 'OK',
        response: { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' },
      });
    });
  });
}
