// Issue 9.4 at the Universal Prompt: duo_uname from the application's JWT goes through the canonical form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PromptWorld, startPromptWorld } from '../prompt/harness.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';

describe('issue 9.4: duo_uname at the Universal Prompt', () => {
  let world: PromptWorld;
  before(async () => {
    // The rollout policy: a user with no device (or a new one) is let through without a second factor.
    world = await startPromptWorld({ policy: { newUserPolicy: 'allow' } });
    await addTestTotp(world.deps, await createTestUser(world.deps, 'alice'));
  });
  after(() => world?.close());

  /** Opens the prompt for `username` and presses "begin"; returns the stage it reaches. */
  const begin = async (username: string): Promise<string> => {
    const start = await fetch(world.authorizeUrl(username), { redirect: 'manual' });
    assert.equal(start.status, 302, `${JSON.stringify(username)}: ${await start.text()}`);
    const cookie = String(start.headers.get('set-cookie')).split(';')[0]!;
    const flowId = String(start.headers.get('location')).split('/')[2]!;
    const api = `${world.url}/prompt/api/flows/${flowId}`;
    const view = (await (await fetch(api, { headers: { cookie } })).json()) as { csrf: string };
    const begun = await fetch(`${api}/begin`, {
      method: 'POST',
      headers: { cookie, origin: world.url, 'x-csrf-token': view.csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await begun.json()) as { stage: string }).stage;
  };

  it('issue 9.4: every spelling of alice is alice and must give her second factor; no user is created', async () => {
    for (const username of ['alice ', ' alice', 'alice\t', 'ALİCE', 'ＡＬＩＣＥ']) {
      assert.equal(await begin(username), 'factor', JSON.stringify(username));
    }
    assert.equal(await world.deps.store.users.count(), 1);
  });

  it('issue 9.4: a refused duo_uname is a plain-words page, and no user is created', async () => {
    for (const [username, why] of [
      ['ali\u0441e', /mixes Latin and Cyrillic letters/],
      ['alice\u200b', /invisible formatting character \(U\+200B\)/],
    ] as const) {
      const response = await fetch(world.authorizeUrl(username), { redirect: 'manual' });
      assert.equal(response.status, 400, JSON.stringify(username));
      const page = await response.text();
      assert.match(page, /The username .* sent is not valid/);
      assert.match(page, why);
    }
    assert.equal(await world.deps.store.users.count(), 1);
  });
});
