// Issue 9.4 at the Auth API: every spelling of a known user's name is that user, or a 400 — never a stranger.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

let server: TestServer;
let client: AuthApiClient;
let aliceTotp: TestTotp;
let kateTotp: TestTotp;

// The examples and what each must become: a known user, or a refusal that names the problem.
const SAME_AS_ALICE = ['alice ', ' alice', 'alice\t', 'ALİCE', 'Alice', 'ＡＬＩＣＥ'];
const REFUSED = [
  ['ali\u0441e', /mixes Latin and Cyrillic/],
  ['alice\u200b', /invisible formatting character \(U\+200B\)/],
  ['al\tice', /control character \(U\+0009\)/],
  ['alice\ufeff', /U\+FEFF/],
] as const;

before(async () => {
  server = await startTestServer();
  // The rollout policy the issue names: users without a device are let through without a second factor.
  const keys = await createTestApp(server.deps, { policy: { newUserPolicy: 'allow' } });
  client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
  aliceTotp = await addTestTotp(server.deps, await createTestUser(server.deps, 'alice'));
  kateTotp = await addTestTotp(server.deps, await createTestUser(server.deps, 'kate'));
});
after(async () => {
  client.close();
  await server.close();
});

test('issue 9.4: preauth under a policy allowing unenrolled users never allows a variant of an enrolled name', async () => {
  for (const username of SAME_AS_ALICE) {
    const response = assertOk(await client.send('POST', '/auth/v2/preauth', { username })) as {
      result: string;
      devices: unknown[];
    };
    assert.equal(response.result, 'auth', `${JSON.stringify(username)} is alice and needs her factor`);
    assert.equal(response.devices.length, 1);
  }
  for (const [username, why] of REFUSED) {
    const body = assertFail(await client.send('POST', '/auth/v2/preauth', { username }), 400, 40002);
    assert.match(body.message_detail ?? '', /^username: /, JSON.stringify(username));
    assert.match(body.message_detail ?? '', why, JSON.stringify(username));
  }
  // A name nobody has is still an unknown user, and the rollout policy still applies to it.
  const stranger = assertOk(await client.send('POST', '/auth/v2/preauth', { username: 'nobody' }));
  assert.equal((stranger as { result: string }).result, 'allow');
});

test('issue 9.4: auth with a variant of the name runs the second factor of the user it names', async () => {
  for (const username of SAME_AS_ALICE) {
    const passcode = aliceTotp.codeAt(server.clock.now());
    const response = assertOk(
      await client.send('POST', '/auth/v2/auth', { username, factor: 'passcode', passcode }),
    ) as { result: string; status: string };
    assert.equal(response.result, 'allow', JSON.stringify(username));
    assert.equal(response.status, 'allow');
    server.clock.advance(30_000); // a TOTP code is accepted once: the next name needs the next step
  }
  for (const [username, why] of REFUSED) {
    const passcode = aliceTotp.codeAt(server.clock.now());
    const body = assertFail(
      await client.send('POST', '/auth/v2/auth', { username, factor: 'passcode', passcode }),
      400,
      40002,
    );
    assert.match(body.message_detail ?? '', why, JSON.stringify(username));
  }
});

test('issue 9.4: the Kelvin sign is the letter K, so "\u212Aate" is kate at preauth and auth', async () => {
  const username = '\u212Aate';
  const pre = assertOk(await client.send('POST', '/auth/v2/preauth', { username })) as { result: string };
  assert.equal(pre.result, 'auth');
  const passcode = kateTotp.codeAt(server.clock.now());
  const response = assertOk(
    await client.send('POST', '/auth/v2/auth', { username, factor: 'passcode', passcode }),
  ) as { result: string };
  assert.equal(response.result, 'allow');
  // alice's code is not kate's: the Kelvin name did not land on some other account.
  server.clock.advance(30_000);
  const wrong = assertOk(
    await client.send('POST', '/auth/v2/auth', {
      username,
      factor: 'passcode',
      passcode: aliceTotp.codeAt(server.clock.now()),
    }),
  ) as { result: string };
  assert.equal(wrong.result, 'deny');
});

test('issue 9.4: /enroll refuses a name the canonical form refuses, and a variant of a taken name', async () => {
  const refused = assertFail(
    await client.send('POST', '/auth/v2/enroll', { username: 'ali\u0441e' }),
    400,
    40002,
  );
  assert.match(refused.message_detail ?? '', /Cyrillic/);
  assertFail(await client.send('POST', '/auth/v2/enroll', { username: 'ALİCE' }), 400, 40003);
  const created = assertOk(await client.send('POST', '/auth/v2/enroll', { username: ' New.User ' })) as {
    username: string;
  };
  assert.equal(created.username, 'New.User');
});
