import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CoreHarness, openCoreHarness } from '../../../test/support/core.ts';
import { claimOnce, usedSignatureKey } from './claim-once.ts';

let core: CoreHarness;
before(async () => {
  core = await openCoreHarness();
});
after(() => core.close());

const WINDOW = 300_000;

test('a signed request is claimed once, and claimable again only after its record was purged', async () => {
  const claims = claimOnce(core.deps);
  const signedAt = core.clock.now();
  const identity = ['duo-auth-api', 'DIXXXXXXXXXXXXXXXXXX', 'ab'.repeat(64)];
  assert.equal(await claims.claim(identity, signedAt, WINDOW), true);
  assert.equal(await claims.claim(identity, signedAt, WINDOW), false);
  // At the end of the window (and a minute of grace for nodes whose clocks run behind) the record still holds.
  core.clock.set(signedAt + WINDOW + 60_000);
  assert.equal(await claims.claim(['other'], signedAt, WINDOW), true);
  assert.equal(await claims.claim(identity, signedAt, WINDOW), false);
  // Past that, the next claim purges it (a verifier refuses such a request by its Date before asking anyway).
  core.clock.advance(60_001);
  assert.equal(await claims.claim(['another'], core.clock.now(), WINDOW), true);
  assert.equal(await claims.claim(identity, signedAt, WINDOW), true);
});

test('the stored key is a hash that keeps the parts apart and holds no signature', () => {
  const signature = 'cd'.repeat(64);
  const key = usedSignatureKey(['duo-auth-api', 'DIXXXXXXXXXXXXXXXXXX', signature]);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!key.includes(signature));
  assert.notEqual(usedSignatureKey(['a\nb', 'c']), usedSignatureKey(['a', 'b\nc']));
});

test('claimers made one per request share one purge a minute, not a DELETE per claim', async () => {
  const store = core.deps.store;
  const original = store.usedSignatures.purge;
  let purges = 0;
  store.usedSignatures.purge = (before) => {
    purges++;
    return original(before);
  };
  try {
    // A minute after the previous test's purge, so the first claim here is due one.
    core.clock.advance(60_001);
    for (let i = 0; i < 5; i++) {
      assert.equal(await claimOnce(core.deps).claim([`per-request-${i}`], core.clock.now(), WINDOW), true);
    }
    assert.equal(purges, 1);
  } finally {
    store.usedSignatures.purge = original;
  }
});
