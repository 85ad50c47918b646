// Policy end to end: global settings → application → group layers decide logins, on a frozen clock.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';
import { evaluateUnknownUser } from '../../src/core/evaluate-access.ts';
import type { PolicyLayer } from '../../src/core/model.ts';
import { beginTransaction } from '../../src/core/transaction/index.ts';
import { type CoreHarness, FROZEN_START, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());
afterEach(async () => {
  await h.deps.store.settings.set('policy', {});
  h.clock.set(FROZEN_START);
});

const setGlobal = (layer: PolicyLayer) => h.deps.store.settings.set('policy', layer);

/** Starts a login without a code and returns where policy put it. */
async function begin(
  user: Parameters<CoreHarness['reload']>[0],
  app: Awaited<ReturnType<CoreHarness['app']>>,
) {
  const { tx } = await beginTransaction(h.deps, { app, user: await h.reload(user), ip: null, factor: null });
  return { state: tx.state, reason: tx.reason };
}

test('authPolicy: global bypass, application enforce over it, group deny over that', async () => {
  const user = await h.user({ groups: ['contractors'] });
  await h.totp(user);
  const app = await h.app();
  assert.deepEqual(await begin(user, app), { state: 'awaiting_factor', reason: null });

  await setGlobal({ authPolicy: 'bypass' });
  assert.deepEqual(await begin(user, app), { state: 'allow', reason: 'policy_bypass' });

  const strict = await h.app({ authPolicy: 'enforce' });
  assert.deepEqual(await begin(user, strict), { state: 'awaiting_factor', reason: null });

  await h.deps.store.groups.upsert({ name: 'contractors', policy: { authPolicy: 'deny' } });
  assert.deepEqual(await begin(user, strict), { state: 'deny', reason: 'policy_deny' });
  assert.deepEqual(await begin(user, app), { state: 'deny', reason: 'policy_deny' });
  const outsider = await h.user();
  await h.totp(outsider);
  assert.deepEqual(await begin(outsider, app), { state: 'allow', reason: 'policy_bypass' });
});

test('an application policy change takes effect on the next login', async () => {
  const user = await h.user();
  const app = await h.app();
  await h.deps.store.applications.updatePolicy(app.id, { authPolicy: 'deny' });
  const updated = (await h.deps.store.applications.get(app.id))!;
  assert.deepEqual(await begin(user, updated), { state: 'deny', reason: 'policy_deny' });
});

test('new-user policy for a user with no device: require-enrollment, allow, deny', async () => {
  const user = await h.user();
  assert.deepEqual(await begin(user, await h.app()), { state: 'deny', reason: 'not_enrolled' });
  assert.deepEqual(await begin(user, await h.app({ newUserPolicy: 'allow' })), {
    state: 'allow',
    reason: 'not_enrolled_allowed',
  });
  await setGlobal({ newUserPolicy: 'allow' });
  assert.deepEqual(await begin(user, await h.app({ newUserPolicy: 'deny' })), {
    state: 'deny',
    reason: 'new_user_denied',
  });
});

test('new-user policy for an unknown username follows global → application', async () => {
  const app = await h.app({ newUserPolicy: 'allow' });
  assert.deepEqual(await evaluateUnknownUser(h.deps.store, app, h.clock.now()), {
    result: 'allow',
    reason: 'not_enrolled_allowed',
  });
  await setGlobal({ newUserPolicy: 'deny' });
  assert.deepEqual(await evaluateUnknownUser(h.deps.store, await h.app(), h.clock.now()), {
    result: 'deny',
    reason: 'new_user_denied',
  });
});

test('enforcement date: before it an unenrolled user is let in, from it on they must enroll', async () => {
  const user = await h.user();
  const app = await h.app({ enforcementDate: '2025-07-01' });
  h.clock.set(Date.UTC(2025, 5, 30, 23, 59, 59));
  assert.deepEqual(await begin(user, app), { state: 'allow', reason: 'before_enforcement' });
  h.clock.set(Date.UTC(2025, 6, 1));
  assert.deepEqual(await begin(user, app), { state: 'deny', reason: 'not_enrolled' });
});

test('enforcement date does not skip MFA for a user who has a device', async () => {
  const user = await h.user();
  await h.totp(user);
  const app = await h.app({ enforcementDate: '2099-01-01' });
  assert.deepEqual(await begin(user, app), { state: 'awaiting_factor', reason: null });
});

test('allowedMethods without totp makes a valid TOTP code fail', async () => {
  const user = await h.user({ groups: ['no-apps'] });
  const { authenticator, seed } = await h.totp(user);
  // A bypass code keeps the user in the "needs a factor" path, so the TOTP code itself is judged.
  await issueBypassCodes(h.deps, 'helpdesk', user);
  await h.deps.store.groups.upsert({ name: 'no-apps', policy: { allowedMethods: ['push', 'bypass'] } });
  const app = await h.app();
  const tx = await h.login(user, app, h.totpCode(authenticator, seed));
  assert.equal(tx.state, 'deny');
  assert.equal(tx.reason, 'invalid_passcode');

  const other = await h.user();
  const second = await h.totp(other);
  const allowed = await h.login(other, app, h.totpCode(second.authenticator, second.seed));
  assert.equal(allowed.state, 'allow', 'the same app still takes TOTP from users outside the group');
});

test('user status: disabled is denied even with a valid code; bypass is let in without one', async () => {
  const app = await h.app();
  const user = await h.user({ status: 'disabled' });
  const { authenticator, seed } = await h.totp(user);
  const tx = await h.login(user, app, h.totpCode(authenticator, seed));
  assert.equal(tx.state, 'deny');
  assert.equal(tx.reason, 'user_disabled');

  const vip = await h.user({ status: 'bypass' });
  assert.deepEqual(await begin(vip, app), { state: 'allow', reason: 'user_bypass' });
  await setGlobal({ authPolicy: 'deny' });
  assert.deepEqual(await begin(vip, app), { state: 'deny', reason: 'policy_deny' });
});
