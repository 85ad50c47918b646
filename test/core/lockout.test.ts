// Lockout through the core (800-63B §5.2.2): 10 failures lock, a valid code does not help then, auto-unlock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';
import type { Application, User } from '../../src/core/model.ts';
import {
  authenticateWithPasscode,
  beginTransaction,
  submitPasscode,
} from '../../src/core/transaction/index.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

const WRONG = '000000';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

/** A user with a TOTP device, and a code that is always right at the frozen now (unless used). */
async function enrolled(policy = {}) {
  const app = await h.app(policy);
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  let code = h.totpCode(authenticator, seed);
  // A wrong guess that happens to be the real code would make the count off by one.
  if (code === WRONG) code = h.totpCode(authenticator, seed, h.clock.now() + 30_000);
  return { app, user, valid: () => h.totpCode(authenticator, seed) };
}

async function fail(user: User, app: Application, times: number) {
  const states: string[] = [];
  for (let i = 0; i < times; i++) states.push((await h.login(user, app, WRONG)).state);
  return states;
}

test('10 wrong codes lock the user; the 11th attempt with a valid code is refused', async () => {
  const { app, user, valid } = await enrolled();
  const states = await fail(user, app, 10);
  assert.deepEqual(states, [...Array(9).fill('deny'), 'locked_out']);
  const locked = await h.reload(user);
  assert.equal(locked.status, 'locked_out');
  assert.equal(locked.failedAttempts, 10);
  const eleventh = await h.login(user, app, valid());
  assert.equal(eleventh.state, 'locked_out');
  assert.equal(eleventh.reason, 'locked_out');
});

test('a user object read before the lock does not let a valid code through afterwards', async () => {
  // A front reads the user, then other requests lock the account before this one's database transaction.
  const { app, user, valid } = await enrolled();
  const stale = await h.reload(user);
  await fail(user, app, 10);
  const tx = await authenticateWithPasscode(h.deps, { app, user: stale, ip: null }, valid());
  assert.equal(tx.state, 'locked_out');
});

test('issue 15: a transaction opened before the lock does not take a valid code afterwards', async () => {
  // The prompt opens a transaction, then guesses on other logins lock the account before the user types.
  const { app, user, valid } = await enrolled();
  const { tx } = await beginTransaction(h.deps, { app, user, ip: null, factor: null });
  assert.equal(tx.state, 'awaiting_factor');
  await fail(user, app, 10);
  const answered = await submitPasscode(h.deps, tx.id, valid());
  assert.deepEqual([answered.state, answered.reason], ['locked_out', 'locked_out']);
});

test('a success before the threshold resets the count', async () => {
  const { app, user, valid } = await enrolled();
  await fail(user, app, 9);
  assert.equal((await h.reload(user)).failedAttempts, 9);
  assert.equal((await h.login(user, app, valid())).state, 'allow');
  assert.equal((await h.reload(user)).failedAttempts, 0);
  assert.deepEqual(await fail(user, app, 9), Array(9).fill('deny'));
  assert.equal((await h.reload(user)).status, 'active');
});

test('autoUnlockMinutes unlocks after the time on the frozen clock, and not before', async () => {
  const { app, user, valid } = await enrolled({ autoUnlockMinutes: 15 });
  await fail(user, app, 10);
  h.clock.advance(15 * 60_000 - 1000);
  try {
    assert.equal((await h.login(user, app, valid())).state, 'locked_out', 'one second early');
    h.clock.advance(1000);
    const tx = await h.login(user, app, valid());
    assert.equal(tx.state, 'allow');
    const unlocked = await h.reload(user);
    assert.equal(unlocked.status, 'active');
    assert.equal(unlocked.failedAttempts, 0);
  } finally {
    h.clock.advance(-15 * 60_000);
  }
});

test('without autoUnlockMinutes the lock stays however long it has been', async () => {
  const { app, user, valid } = await enrolled();
  await fail(user, app, 10);
  h.clock.advance(30 * 24 * 3600_000);
  try {
    assert.equal((await h.login(user, app, valid())).state, 'locked_out');
  } finally {
    h.clock.advance(-30 * 24 * 3600_000);
  }
});

test('issuing a new bypass code does not reset the count or the lock', async () => {
  const { app, user } = await enrolled();
  await fail(user, app, 5);
  await issueBypassCodes(h.deps, 'helpdesk', await h.reload(user));
  assert.equal((await h.reload(user)).failedAttempts, 5);

  await fail(user, app, 5);
  assert.equal((await h.reload(user)).status, 'locked_out');
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', await h.reload(user));
  const after = await h.reload(user);
  assert.equal(after.status, 'locked_out');
  assert.equal(after.failedAttempts, 10);
  assert.equal((await h.login(user, app, codes[0]!)).state, 'locked_out');
});

test('lockoutThreshold from policy applies, capped at 100', async () => {
  const { app, user } = await enrolled({ lockoutThreshold: 3 });
  assert.deepEqual(await fail(user, app, 3), ['deny', 'deny', 'locked_out']);
  const capped = await enrolled({ lockoutThreshold: 1000 });
  const states = await fail(capped.user, capped.app, 100);
  assert.equal(states.at(-2), 'deny');
  assert.equal(states.at(-1), 'locked_out');
});

test('parallel wrong guesses stop counting (and checking codes) at the threshold', async () => {
  const { app, user } = await enrolled();
  const stale = await h.reload(user);
  const attempts = Array.from({ length: 14 }, () =>
    authenticateWithPasscode(h.deps, { app, user: stale, ip: null }, WRONG),
  );
  const states = (await Promise.all(attempts)).map((tx) => tx.state);
  assert.equal(states.filter((state) => state === 'deny').length, 9);
  assert.equal(states.filter((state) => state === 'locked_out').length, 5);
  assert.equal((await h.reload(user)).failedAttempts, 10);
});
