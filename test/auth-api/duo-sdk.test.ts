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
  issueTestBypassCodes,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { withTrustedDevice } from './envelope-assertions.ts';
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

/** An SDK request as it went on the wire (redirected), so a test can send the very same bytes again. */
interface Captured {
  options: https.RequestOptions;
  body: Buffer[];
}
const captured: Captured[] = [];

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
    const request = originalRequest(target, callback as never);
    const record: Captured = { options: target, body: [] };
    captured.push(record);
    const write = request.write.bind(request);
    request.write = ((chunk: string | Buffer, ...rest: never[]) => {
      record.body.push(Buffer.from(chunk));
      return write(chunk, ...rest);
    }) as typeof request.write;
    return request;
  };
  (https as { request: unknown }).request = wrapped;
});
after(async () => {
  (https as { request: unknown }).request = originalRequest;
  await server?.close();
  await certificates?.remove();
});

/** Sends a captured SDK request again, byte for byte (same Date, same signature); returns status and envelope. */
function resend(request: Captured): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const sent = originalRequest(request.options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    });
    sent.on('error', reject);
    sent.end(Buffer.concat(request.body));
  });
}

/** The SDK request sent last. */
function lastCaptured(): Captured {
  const last = captured.at(-1);
  assert.ok(last, 'the SDK sent a request');
  return last;
}

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
      assert.deepEqual(
        { ...allowed, response: withTrustedDevice(allowed.response) },
        {
          stat: 'OK',
          response: { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' },
        },
      );
      // Another request carrying the same code (the SDK dates requests to the second: the very same request
      // within that second would be refused as a replay, see the next test).
      const denied = await sdkCall(client, 'POST', '/auth/v2/auth', { ...params, ipaddr: '192.0.2.1' });
      assert.deepEqual(denied, {
        stat: 'OK',
        response: { result: 'deny', status: 'deny', status_msg: 'Incorrect passcode. Please try again.' },
      });
    });

    test("issue 9.3: the SDK's POST /auth sent again byte for byte is refused with 401 40103", async () => {
      const user = await createTestUser(server.deps, `${username}-replayed`);
      const [code] = await issueTestBypassCodes(server.deps, user, { uses: 5 });
      assert.ok(code);
      const params = { username: user.username, factor: 'passcode', passcode: code };
      const allowed = await sdkCall(client, 'POST', '/auth/v2/auth', params);
      assert.equal((allowed.response as { result?: string } | undefined)?.result, 'allow');
      // The code has uses left, so before the fix the copy logged in a second time.
      const replayed = await resend(lastCaptured());
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.stat, 'FAIL');
      assert.equal(replayed.body.code, 40103);
      assert.match(String(replayed.body.message_detail), /already used/);
    });

    test('read-only calls the SDK repeats within one second stay answered (auth_status, preauth, check)', async () => {
      // Duo's Date has one-second resolution, so a client polling twice in a second sends the same signature
      // twice: refusing that would break genuine clients (docs/auth-api.md, "Replayed requests").
      const started = await sdkCall(client, 'POST', '/auth/v2/auth', {
        username,
        factor: 'passcode',
        passcode: '000000',
        async: 1,
      });
      const { txid } = started.response as { txid: string };
      await sdkCall(client, 'GET', '/auth/v2/auth_status', { txid });
      const poll = lastCaptured();
      await sdkCall(client, 'POST', '/auth/v2/preauth', { username });
      const preauth = lastCaptured();
      await sdkCall(client, 'GET', '/auth/v2/check');
      const check = lastCaptured();
      for (const request of [poll, preauth, check]) {
        const again = await resend(request);
        assert.equal(
          again.status,
          200,
          `${request.options.method} ${request.options.path}: ${JSON.stringify(again.body)}`,
        );
        assert.equal(again.body.stat, 'OK');
      }
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
      assert.deepEqual(
        { ...status, response: withTrustedDevice(status.response) },
        {
          stat: 'OK',
          response: { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' },
        },
      );
    });
  });
}
