// Issue 13: a sign-in call through the generic webhook provider, answered at our keypress route with the token
// the call's {{callback_url}} carries: 1 approves, a forged token is refused (403) and changes nothing.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { confirmPhone, sendPhoneConfirmation } from '../../src/core/enrollment/phone-number.ts';
import { createTestApp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';

const SECRET = 'a-webhook-callback-secret-of-40-characters';
const PUBLIC = 'https://mfa.example.org';

describe('issue 13: sign-in calls through the webhook provider', () => {
  const posted: Array<Record<string, string>> = [];
  let gateway: Server;
  let server: TestServer;
  let client: AuthApiClient;

  before(async () => {
    gateway = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        posted.push(JSON.parse(body) as Record<string, string>);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": true}');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    server = await startTestServer({
      config: {
        'telephony.enabled': true,
        'telephony.provider': 'webhook',
        'telephony.callback_url': PUBLIC,
        'telephony.webhook.url': `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`,
        'telephony.webhook.call_body': '{"to": "{{to}}", "say": "{{text}}", "callback": "{{callback_url}}"}',
        'telephony.webhook.callback_secret': SECRET,
      },
    });
    const keys = await createTestApp(server.deps, { policy: { allowedMethods: ['totp', 'phone'] } });
    const clock = () => {
      server.clock.advance(1_000);
      return server.clock.now();
    };
    client = createAuthApiClient({ baseUrl: server.url, ...keys, clock });
  });
  after(async () => {
    client.close();
    await server.close();
    await new Promise<void>((resolve) => gateway.close(() => resolve()));
  });

  test('the keypress posted to the call’s callback URL decides the login; a forged token does not', async () => {
    const user = await createTestUser(server.deps, 'webhook-user');
    await sendPhoneConfirmation(server.deps, user, '+15035550300');
    const [code] = /[0-9]{7}/.exec(posted.at(-1)!.text!)!;
    await confirmPhone(server.deps, 'test', user, { number: '+15035550300', code });
    const { txid } = await client.auth({
      username: user.username,
      factor: 'phone',
      device: 'auto',
      async: 1,
    });
    const call = posted.at(-1)!;
    assert.equal(call.to, '+15035550300');
    const callback = new URL(call.callback!);
    assert.equal(callback.searchParams.get('id'), txid);
    const press = (token: string, digit: string) =>
      fetch(`${server.url}${callback.pathname}?id=${txid}&token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ digit }),
      });
    const forged = await press('A'.repeat(43), '1');
    assert.equal(forged.status, 403);
    assert.deepEqual((await client.authStatus(txid)).status, 'calling');
    const pressed = await press(callback.searchParams.get('token')!, '1');
    assert.deepEqual(await pressed.json(), {
      outcome: 'approve',
      say: 'Thank you. The sign-in is approved. Goodbye.',
    });
    assert.equal((await client.authStatus(txid)).result, 'allow');
    const late = await press(callback.searchParams.get('token')!, '1');
    assert.equal(((await late.json()) as { outcome: string }).outcome, 'ended', 'a login decides once');
  });
});
