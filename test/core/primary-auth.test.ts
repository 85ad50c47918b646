// verifyPrimary: the password check every front uses; failures are counted toward lockout and audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { User } from '../../src/core/model.ts';
import { type PrimaryAuth, verifyPrimary } from '../../src/core/primary-auth.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
let alice: User;
before(async () => {
  h = await openCoreHarness();
  // One argon2id hash for the whole file: it is deliberately slow.
  alice = await h.user({ username: 'alice', password: 'correct horse battery staple' });
});
after(() => h.close());

async function primaryAudit(username: string) {
  const entries = await h.deps.store.audit.tail({ limit: 1000, kind: 'auth' });
  return entries.filter((entry) => entry.action === 'primary' && entry.username === username);
}

test('the password is stored as an argon2id PHC string with its parameters', () => {
  assert.match(alice.passwordHash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});

test('the right password passes and leaves no failure', async () => {
  const app = await h.app();
  const result = await verifyPrimary(h.deps, app, 'alice', 'correct horse battery staple', '192.0.2.1');
  assert.equal(result.ok, true);
  assert.equal((await h.reload(alice)).failedAttempts, 0);
});

test('a wrong password counts one failure and is audited', async () => {
  const app = await h.app();
  const result = await verifyPrimary(h.deps, app, 'alice', 'Tr0ub4dor&3', '192.0.2.2');
  assert.deepEqual(result, { ok: false, reason: 'bad_credentials', user: alice });
  assert.equal((await h.reload(alice)).failedAttempts, 1);
  const [entry] = (await primaryAudit('alice')).filter((e) => e.ip === '192.0.2.2');
  assert.ok(entry, 'the failure is audited');
  assert.equal(entry.result, 'failure');
  assert.equal(entry.reason, 'bad_password');
  assert.equal(entry.userId, alice.id);
  assert.equal(entry.applicationId, app.id);
  assert.equal(entry.factor, 'password');
});

test('an unknown user fails the same way and is audited as unknown_user', async () => {
  const app = await h.app();
  const result = await verifyPrimary(h.deps, app, 'mallory', 'whatever', '192.0.2.3');
  assert.deepEqual(result, { ok: false, reason: 'bad_credentials', user: null });
  const [entry] = await primaryAudit('mallory');
  assert.equal(entry?.reason, 'unknown_user');
  assert.equal(entry?.result, 'failure');
  assert.equal(entry?.userId, null);
  assert.equal(entry?.ip, '192.0.2.3');
});

test('a user without a password fails, with any password including the empty one', async () => {
  const app = await h.app();
  const user = await h.user();
  assert.equal(user.passwordHash, null);
  for (const password of ['', 'anything']) {
    const result = await verifyPrimary(h.deps, app, user.username, password, null);
    assert.equal(result.ok, false);
  }
  assert.equal((await h.reload(user)).failedAttempts, 2);
});

test('an unreachable directory is reported as unavailable, audited, and not counted', async () => {
  const unreachable: PrimaryAuth = { check: async () => 'unavailable' };
  const app = await h.app();
  const user = await h.user({ directory: 'corp' });
  const result = await verifyPrimary({ ...h.deps, primary: unreachable }, app, user.username, 'pw', null);
  assert.deepEqual(result, { ok: false, reason: 'unavailable', user });
  assert.equal((await h.reload(user)).failedAttempts, 0);
  assert.equal((await primaryAudit(user.username))[0]?.reason, 'directory_unavailable');
});

test('password failures lock the account at the policy threshold', async () => {
  const rejecting: PrimaryAuth = { check: async () => 'bad' };
  const app = await h.app({ lockoutThreshold: 3 });
  const user = await h.user();
  for (let i = 0; i < 3; i++)
    await verifyPrimary({ ...h.deps, primary: rejecting }, app, user.username, 'x', null);
  assert.equal((await h.reload(user)).status, 'locked_out');
});
