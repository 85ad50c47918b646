// Bypass codes through the core: 1 use and 1 hour by default, reuse counts, expiry, the cap on active codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { issueBypassCodes, MAX_ACTIVE_BYPASS_CODES } from '../../src/core/admin/issue-bypass-codes.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

/** A user with a TOTP device (so a used-up code is judged `invalid_passcode`, not "not enrolled"). */
async function enrolled() {
  const app = await h.app();
  const user = await h.user();
  await h.totp(user);
  return { app, user };
}

test('default: one use, valid one hour; the second use is refused', async () => {
  const { app, user } = await enrolled();
  const { codes, expiresAt } = await issueBypassCodes(h.deps, 'helpdesk', user);
  assert.equal(codes.length, 1);
  assert.match(codes[0]!, /^[0-9]{9}$/);
  assert.equal(expiresAt, h.clock.now() + 3600_000);

  const first = await h.login(user, app, codes[0]!);
  assert.equal(first.state, 'allow');
  assert.equal(first.data.method, 'bypass');
  const second = await h.login(user, app, codes[0]!);
  assert.equal(second.state, 'deny');
  assert.equal(second.reason, 'invalid_passcode');
});

test('a code is refused once its hour is over (frozen clock), and accepted just before', async () => {
  const { app, user } = await enrolled();
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { count: 2 });
  h.clock.advance(3600_000 - 1);
  try {
    assert.equal((await h.login(user, app, codes[0]!)).state, 'allow');
    h.clock.advance(1);
    assert.equal((await h.login(user, app, codes[1]!)).state, 'deny');
  } finally {
    h.clock.advance(-3600_000);
  }
});

test('--uses 3 works three times, not four', async () => {
  const { app, user } = await enrolled();
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { uses: 3 });
  const states = [];
  for (let i = 0; i < 4; i++) states.push((await h.login(user, app, codes[0]!)).state);
  assert.deepEqual(states, ['allow', 'allow', 'allow', 'deny']);
});

test('an unlimited-use code works until it expires', async () => {
  const { app, user } = await enrolled();
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { uses: null, expiresInSeconds: 600 });
  for (let i = 0; i < 12; i++) assert.equal((await h.login(user, app, codes[0]!)).state, 'allow');
  h.clock.advance(600_000);
  try {
    assert.equal((await h.login(user, app, codes[0]!)).state, 'deny');
  } finally {
    h.clock.advance(-600_000);
  }
});

test('a bypass code lets in a user with no device, once', async () => {
  const app = await h.app();
  const user = await h.user();
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user);
  assert.equal((await h.login(user, app, codes[0]!)).state, 'allow');
  const after = await h.login(user, app, codes[0]!);
  assert.equal(after.state, 'deny');
  assert.equal(after.reason, 'not_enrolled');
});

test(`at most ${MAX_ACTIVE_BYPASS_CODES} active codes per user; used-up codes make room`, async () => {
  const { app, user } = await enrolled();
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { count: 60 });
  await issueBypassCodes(h.deps, 'helpdesk', user, { count: 40 });
  assert.equal((await h.deps.store.bypassCodes.listActive(user.id, h.clock.now())).length, 100);
  await assert.rejects(issueBypassCodes(h.deps, 'helpdesk', user), (error) =>
    isCountersignError(error, 'BYPASS_LIMIT'),
  );
  assert.equal((await h.deps.store.bypassCodes.listActive(user.id, h.clock.now())).length, 100);
  assert.equal((await h.login(user, app, codes[0]!)).state, 'allow');
  const { codes: more } = await issueBypassCodes(h.deps, 'helpdesk', user);
  assert.equal(more.length, 1);
});

test('bad options are INVALID_INPUT', async () => {
  const user = await h.user();
  for (const options of [{ count: 0 }, { count: 101 }, { uses: 0 }, { uses: 1.5 }, { expiresInSeconds: 0 }]) {
    await assert.rejects(issueBypassCodes(h.deps, 'helpdesk', user, options), (error) =>
      isCountersignError(error, 'INVALID_INPUT'),
    );
  }
});
