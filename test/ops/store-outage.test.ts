// With the database gone, every HTTP front says "unavailable" the same way (the store raises STORE_UNAVAILABLE).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { exportPublicKey, generateDeviceKeyPair } from '../../src/device-protocol/signing.ts';
import { assertFail } from '../auth-api/envelope-assertions.ts';
import { createTestApp, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let app: { ikey: string; skey: string };

before(async () => {
  server = await startTestServer();
  app = await createTestApp(server.deps);
  await server.deps.store.close();
});
after(() => server.close());

test('issue 15: the Auth API answers a lost database with 503 and code 50301', async () => {
  const client = createAuthApiClient({ baseUrl: server.url, ...app });
  try {
    assertFail(await client.send('POST', '/auth/v2/preauth', { username: 'alice' }), 503, 50301);
  } finally {
    client.close();
  }
});

test('issue 15: the portal and device API answer a lost database with 503 STORE_UNAVAILABLE', async () => {
  const portal = await fetch(`${server.url}/portal/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ username: 'alice', password: 'correct horse' }),
  });
  assert.equal(portal.status, 503, await portal.clone().text());
  assert.equal(((await portal.json()) as { error?: string }).error, 'STORE_UNAVAILABLE');
  const keys = await generateDeviceKeyPair(false);
  const device = await fetch(`${server.url}/device/v1/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'x'.repeat(32), publicKey: await exportPublicKey(keys.publicKey) }),
  });
  assert.equal(device.status, 503, await device.clone().text());
});

test('issue 15: the Universal Prompt endpoints answer a lost database with 503, never a 500', async () => {
  const token = await fetch(`${server.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=authorization_code&client_id=${app.ikey}&client_assertion=x.y.z`,
  });
  assert.equal(token.status, 503, await token.text());
  const authorize = await fetch(`${server.url}/oauth/v1/authorize?client_id=${app.ikey}&request=x.y.z`);
  assert.equal(authorize.status, 503, await authorize.text());
});
