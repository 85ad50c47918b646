import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test("the device API answers CORS preflights from another server's app (several servers in one Authenticator)", async () => {
  const preflight = await fetch(`${server.url}/device/v1/requests`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://mfa.other.example',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
});

test('device API answers, refusals included, carry Access-Control-Allow-Origin', async () => {
  const vapid = await fetch(`${server.url}/device/v1/vapid`, {
    headers: { origin: 'https://mfa.other.example' },
  });
  assert.equal(vapid.headers.get('access-control-allow-origin'), '*');
  const refused = await fetch(`${server.url}/device/v1/requests`, {
    headers: { origin: 'https://mfa.other.example' },
  });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), '*');
});

test('the live channel (SSE, a hijacked reply) carries Access-Control-Allow-Origin too', async () => {
  // Refused (no valid ticket) before the stream starts, so the header must come from the hook, as on the stream.
  const refused = await fetch(`${server.url}/device/v1/events?ticket=x`, {
    headers: { origin: 'https://mfa.other.example' },
  });
  assert.equal(refused.headers.get('access-control-allow-origin'), '*');
});

test('other fronts do not open CORS', async () => {
  const ping = await fetch(`${server.url}/auth/v2/ping`, {
    headers: { origin: 'https://mfa.other.example' },
  });
  assert.equal(ping.headers.get('access-control-allow-origin'), null);
});
