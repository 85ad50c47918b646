// Issue 9.4 at the portal's sign-in: a variant of a name signs in as that user; a refused name is told why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestUser, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await createTestUser(server.deps, 'alice', { password: 'correct horse 1' });
});
after(() => server.close());

async function signIn(username: string, password: string) {
  const response = await fetch(`${server.url}/portal/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, body: (await response.json()) as { error?: string; message?: string } };
}

test('issue 9.4: the portal signs in every spelling of alice as alice', async () => {
  for (const username of ['alice ', ' alice', 'alice\t', 'ALİCE', 'ＡＬＩＣＥ']) {
    const result = await signIn(username, 'correct horse 1');
    assert.equal(result.status, 200, `${JSON.stringify(username)}: ${JSON.stringify(result.body)}`);
  }
});

test('issue 9.4: a refused name gets a plain-words 400, not "incorrect username or password"', async () => {
  const cases = [
    ['ali\u0441e', /^That username is not valid: it mixes Latin and Cyrillic letters/],
    [
      'alice\u200b',
      /^That username is not valid: it contains an invisible formatting character \(U\+200B\)\.$/,
    ],
    ['al\tice', /control character/],
  ] as const;
  for (const [username, message] of cases) {
    const result = await signIn(username, 'correct horse 1');
    assert.equal(result.status, 400, JSON.stringify(username));
    assert.equal(result.body.error, 'INVALID_USERNAME');
    assert.match(result.body.message ?? '', message);
  }
  // Refusal depends on the name's characters only, so it says nothing about who exists.
  assert.deepEqual(await signIn('nobody\u200b', 'x'), await signIn('alice\u200b', 'x'));
});
