// Duo's official Node SDK (@duosecurity/duo_api 1.5.0) against Countersign over HTTPS, signatures v2 and v5.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { manualClock } from '../../src/core/clock.ts';
import {
  type DuoClient,
  duo,
  redirectSdk,
  SDK_HOST,
  type SdkRedirect,
  SIGNATURE_VERSIONS,
  sdkCall,
} from '../support/duo-sdk.ts';
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

let server: TestServer;
let certificates: TestCertificates;
let keys: { ikey: string; skey: string };
let sdk: SdkRedirect;

before(async () => {
  certificates = await createTestCertificates();
  // The SDK dates requests with the real time, so the server's frozen clock starts at the real time.
  server = await startTestServer({
    clock: manualClock(Date.now()),
    config: { 'http.tls_cert': certificates.certFile, 'http.tls_key': certificates.keyFile },
  });
  keys = await createTestApp(server.deps);
  sdk = redirectSdk(server.port, certificates.caPem);
});
after(async () => {
  sdk?.restore();
  await server?.close();
  await certificates?.remove();
});

test('the HTTPS server also answers our own client when it trusts the test CA', async () => {
  const client = createAuthApiClient({ baseUrl: server.url, ...keys, ca: certificates.caPem });
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await client.check(), { time: Math.floor(server.clock.now() / 1000) });
  } finally {
    client.close();
  }
});

for (const [label, sigVersion] of SIGNATURE_VERSIONS) {
  describe(`Duo Node SDK, signature ${label}`, () => {
    let client: DuoClient;
    let totp: TestTotp;
    const username = `sdk-user-v${sigVersion}`;

    before(async () => {
      client = new duo.Client(keys.ikey, keys.skey, SDK_HOST, sigVersion);
      totp = await addTestTotp(server.deps, await createTestUser(server.deps, username));
    });

    test('ping and check answer with the server time', async () => {
      const before = sdk.redirected;
      const time = Math.floor(server.clock.now() / 1000);
      assert.deepEqual(await sdkCall(client, 'GET', '/auth/v2/ping'), { stat: 'OK', response: { time } });
      assert.deepEqual(await sdkCall(client, 'GET', '/auth/v2/check'), { stat: 'OK', response: { time } });
      assert.equal(sdk.redirected, before + 2, 'both calls went through the test redirect');
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
      const replayed = await sdk.resend(sdk.last());
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
      const poll = sdk.last();
      await sdkCall(client, 'POST', '/auth/v2/preauth', { username });
      const preauth = sdk.last();
      await sdkCall(client, 'GET', '/auth/v2/check');
      const check = sdk.last();
      for (const request of [poll, preauth, check]) {
        const again = await sdk.resend(request);
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
