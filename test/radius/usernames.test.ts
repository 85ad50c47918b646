// Issue 9.4 over RADIUS with radclient: a variant of a user's name is that user; a refused name is rejected.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updatePolicyLayer } from '../../src/core/admin/set-policy.ts';
import type { User } from '../../src/core/model.ts';
import type { TestTotp } from '../support/server.ts';
import { attribute, PASSWORD, type RadiusHarness, startRadiusHarness } from './fixture.ts';
import { radclientAvailable } from './radclient.ts';

const skip = radclientAvailable() ? false : 'radclient not on PATH: apt-get install -y freeradius-utils';

// radclient reads the User-Name between the quotes byte for byte (UTF-8), tabs included.
const SAME_AS_ALICE = ['alice ', ' alice', 'alice\t', 'ALİCE', 'ＡＬＩＣＥ'];
const REFUSED = [
  ['ali\u0441e', /mixes Latin and Cyrillic/],
  ['alice\u200b', /invisible formatting character \(U\+200B\)/],
  ['al\tice', /control character \(U\+0009\)/],
] as const;

describe('issue 9.4: usernames over RADIUS', { skip }, () => {
  let h: RadiusHarness;
  let totp: TestTotp;
  let alice: User;
  const now = () => totp.codeAt(h.server.clock.now());
  before(async () => {
    h = await startRadiusHarness({ mode: 'mfa-only' });
    // The rollout policy: unknown and unenrolled users pass without a second factor.
    await updatePolicyLayer(
      h.server.deps,
      'test',
      { layer: 'global' },
      { set: { newUserPolicy: 'allow' }, clear: [] },
    );
    alice = await h.user('alice');
    totp = await h.totp(alice);
  });
  after(async () => {
    await h?.close();
  });

  test('issue 9.4: mfa-only under a policy allowing unknown users: a variant of alice needs her passcode', async () => {
    for (const name of SAME_AS_ALICE) {
      const wrong = await h.auth(name, '000000');
      assert.equal(
        wrong.code,
        'Access-Reject',
        `${JSON.stringify(name)} without alice's code: ${wrong.stdout}`,
      );
      const right = await h.auth(name, now());
      assert.equal(right.code, 'Access-Accept', `${JSON.stringify(name)} with alice's code: ${right.stdout}`);
      h.server.clock.advance(30_000);
    }
  });

  test('issue 9.4: a refused name is an Access-Reject saying why, with no push and no transaction', async () => {
    // alice has a push device too: had a refused name been taken for hers, "push" would reach her phone.
    await h.device(alice);
    const since = h.server.clock.now();
    for (const [name, why] of REFUSED) {
      const result = await h.auth(name, 'push');
      assert.equal(result.code, 'Access-Reject', `${JSON.stringify(name)}: ${result.stdout}`);
      assert.match(attribute(result, 'Reply-Message') ?? '', /username is not valid/);
      assert.match(attribute(result, 'Reply-Message') ?? '', why);
    }
    const entries = await h.server.deps.store.audit.tail({ limit: 50, kind: 'auth' });
    const refusals = entries.filter((e) => e.action === 'radius.access' && e.reason === 'invalid_username');
    assert.equal(refusals.length, REFUSED.length);
    assert.ok(refusals.every((e) => e.userId === null && e.result === 'reject'));
    const begun = await h.server.deps.store.transactions.listRecentForUser(alice.id, since, 10);
    assert.deepEqual(begun, [], 'no transaction, so no push');
  });

  test('issue 9.4: the password modes look the user up by the canonical name too', async () => {
    await h.configureClient({ mode: 'concat' });
    try {
      const result = await h.auth('ALİCE ', `${PASSWORD},${now()}`);
      assert.equal(result.code, 'Access-Accept', result.stdout);
    } finally {
      await h.configureClient({ mode: 'mfa-only' });
    }
  });
});
