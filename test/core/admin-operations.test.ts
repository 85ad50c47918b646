// The core's administrative operations the Admin API calls: modify and delete users, groups and their members,
// hardware tokens (delete, take back, resync), devices, and integration grants. Each is audited as `admin`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applicationPermissions, createApplication } from '../../src/core/admin/create-application.ts';
import { deleteDevice } from '../../src/core/admin/delete-device.ts';
import { deleteUser } from '../../src/core/admin/delete-user.ts';
import { importTokens } from '../../src/core/admin/import-tokens.ts';
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  groupNameProblem,
  removeUserFromGroup,
} from '../../src/core/admin/manage-groups.ts';
import { deleteToken, resyncToken, unassignToken } from '../../src/core/admin/manage-tokens.ts';
import { modifyUser } from '../../src/core/admin/modify-user.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Authenticator } from '../../src/core/model.ts';
import { generateHotp } from '../../src/crypto/otp/hotp.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

const ACTOR = 'admin-api:DITEST';

/** The audit entries `ACTOR` left since `afterId`. */
async function audited(afterId: number) {
  return (await h.deps.store.audit.tail({ limit: 1000, afterId })).filter((entry) => entry.actor === ACTOR);
}
async function lastAuditId(): Promise<number> {
  return (await h.deps.store.audit.tail({ limit: 1 }))[0]?.id ?? 0;
}

/** A CountersignError whose detail matches `pattern`. */
const detail = (pattern: RegExp) => (error: unknown) =>
  isCountersignError(error) && pattern.test(error.detail ?? '');

const SECRET = Buffer.from('3132333435363738393031323334353637383930', 'hex');

async function hardwareToken(kind: 'hotp' | 'totp', counter = 0n): Promise<Authenticator> {
  const [token] = await importTokens(h.deps, ACTOR, [
    {
      serial: `SN-${h.deps.random.uuid()}`,
      kind,
      secret: SECRET,
      digits: 6,
      algorithm: 'sha1',
      counter,
      period: kind === 'totp' ? 30 : 0,
    },
  ]);
  return token!;
}

test('issue 12: modifyUser renames, re-aliases, annotates and disables in one audited step', async () => {
  const user = await h.user({ aliases: ['old-alias'] });
  const now = h.clock.now();
  await h.deps.store.rememberedLogins.create({
    id: `RL-${user.id}`,
    userId: user.id,
    applicationId: null,
    createdAt: now,
    expiresAt: now + 3_600_000,
    revokedAt: null,
  });
  const since = await lastAuditId();
  const updated = await modifyUser(h.deps, ACTOR, user, {
    username: '  Grace.Hopper ',
    aliases: ['amazing-grace'],
    notes: 'rear admiral',
    email: null,
    status: 'disabled',
  });
  assert.equal(updated.username, 'Grace.Hopper');
  assert.deepEqual(updated.aliases, ['amazing-grace']);
  assert.equal(updated.notes, 'rear admiral');
  assert.equal(updated.status, 'disabled');
  assert.equal(await h.deps.store.users.findByName('old-alias'), null);
  assert.equal((await h.deps.store.users.findByName('AMAZING-GRACE'))?.id, user.id);
  // A disabled user's remembered browsers end with it.
  assert.equal(await h.deps.store.rememberedLogins.getActive(`RL-${user.id}`, h.clock.now()), null);
  const entries = await audited(since);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.kind, 'admin');
  assert.equal(entries[0]?.action, 'user.update');
  assert.deepEqual(entries[0]?.detail, {
    changed: ['username', 'aliases', 'notes', 'email', 'status'],
    renamedFrom: user.username,
    status: { from: 'active', to: 'disabled' },
  });
});

test('issue 12: modifyUser refuses a refused or taken name and changes nothing', async () => {
  const user = await h.user({ realName: 'Kept' });
  const other = await h.user();
  const since = await lastAuditId();
  await assert.rejects(modifyUser(h.deps, ACTOR, user, { username: 'a\u0000b', realName: 'Lost' }), (error) =>
    isCountersignError(error, 'INVALID_USERNAME'),
  );
  await assert.rejects(
    modifyUser(h.deps, ACTOR, user, { username: other.username, realName: 'Lost' }),
    (error) => isCountersignError(error, 'USER_EXISTS'),
  );
  assert.equal((await h.reload(user)).realName, 'Kept');
  assert.deepEqual(await audited(since), []);
});

test('issue 12: deleteUser deletes once and audits once; a repeat is false', async () => {
  const user = await h.user();
  await h.totp(user);
  const since = await lastAuditId();
  assert.equal(await deleteUser(h.deps, ACTOR, user.id), true);
  assert.equal(await deleteUser(h.deps, ACTOR, user.id), false);
  assert.equal(await h.deps.store.users.get(user.id), null);
  assert.deepEqual(await h.deps.store.authenticators.listForUser(user.id), []);
  const entries = await audited(since);
  assert.deepEqual(
    entries.map((entry) => [entry.kind, entry.action, entry.username]),
    [['admin', 'user.delete', user.username]],
  );
});

test('issue 12: groups: names are checked, joining needs the group, membership changes are idempotent', async () => {
  assert.match(groupNameProblem('a/b') ?? '', /not valid/);
  assert.equal(groupNameProblem('Help desk EU.2'), null);
  await assert.rejects(createGroup(h.deps, ACTOR, ''), (error) => isCountersignError(error, 'INVALID_INPUT'));
  await createGroup(h.deps, ACTOR, 'help-desk');
  await assert.rejects(createGroup(h.deps, ACTOR, 'help-desk'), detail(/already exists/));
  const user = await h.user();
  await assert.rejects(addUserToGroup(h.deps, ACTOR, user, 'nope'), (error) =>
    isCountersignError(error, 'GROUP_NOT_FOUND'),
  );
  const since = await lastAuditId();
  assert.deepEqual((await addUserToGroup(h.deps, ACTOR, user, 'help-desk')).groups, ['help-desk']);
  await addUserToGroup(h.deps, ACTOR, user, 'help-desk');
  assert.deepEqual((await h.reload(user)).groups, ['help-desk']);
  await removeUserFromGroup(h.deps, ACTOR, user, 'help-desk');
  await removeUserFromGroup(h.deps, ACTOR, user, 'help-desk');
  assert.deepEqual((await h.reload(user)).groups, []);
  assert.deepEqual(
    (await audited(since)).map((entry) => entry.action),
    ['group.add-member', 'group.remove-member'],
  );
});

test('issue 12: deleteGroup takes the group off every member, more than one page of them', async () => {
  await createGroup(h.deps, ACTOR, 'everyone');
  const members = 503;
  for (let i = 0; i < members; i++) await h.user({ groups: ['everyone', 'staff'] });
  assert.equal(await h.deps.store.users.count({ group: 'everyone' }), members);
  const since = await lastAuditId();
  assert.equal(await deleteGroup(h.deps, ACTOR, 'everyone'), true);
  assert.equal(await h.deps.store.users.count({ group: 'everyone' }), 0);
  assert.equal(await h.deps.store.users.count({ group: 'staff' }), members);
  assert.equal(await h.deps.store.groups.get('everyone'), null);
  assert.equal(await deleteGroup(h.deps, ACTOR, 'everyone'), false);
  const entries = await audited(since);
  assert.deepEqual(
    entries.map((entry) => [entry.action, entry.detail]),
    [['group.delete', { name: 'everyone', members }]],
  );
});

test('issue 12: resyncToken finds three consecutive codes ahead and moves the counter past them', async () => {
  const token = await hardwareToken('hotp', 10n);
  const codes = (from: bigint) =>
    [from, from + 1n, from + 2n].map((c) => generateHotp(SECRET, c, { digits: 6, algorithm: 'sha1' }));
  await assert.rejects(
    resyncToken(h.deps, ACTOR, token, ['123', '456', '789']),
    detail(/codes: each must be/),
  );
  await assert.rejects(resyncToken(h.deps, ACTOR, token, codes(2000n)), detail(/do not follow each other/));
  await resyncToken(h.deps, ACTOR, token, codes(700n));
  assert.equal((await h.deps.store.authenticators.get(token.id))?.counter, 703);
  // The stored token is now behind: the counter moved, so the old copy loses the compare-and-set.
  await assert.rejects(resyncToken(h.deps, ACTOR, token, codes(800n)), detail(/used meanwhile/));
  const totp = await hardwareToken('totp');
  await assert.rejects(resyncToken(h.deps, ACTOR, totp, codes(0n)), detail(/only HOTP/));
});

test('issue 12: a token is taken back only from its user (remembered browsers end) and deleted once', async () => {
  const token = await hardwareToken('hotp');
  const user = await h.user();
  const other = await h.user();
  assert.equal(await h.deps.store.authenticators.assign(token.id, user.id), true);
  assert.equal(await unassignToken(h.deps, ACTOR, other, token.id), false);
  assert.equal(await unassignToken(h.deps, ACTOR, user, token.id), true);
  assert.equal((await h.deps.store.authenticators.get(token.id))?.userId, null);
  const since = await lastAuditId();
  assert.equal(await deleteToken(h.deps, ACTOR, token.id), true);
  assert.equal(await deleteToken(h.deps, ACTOR, token.id), false);
  assert.deepEqual(
    (await audited(since)).map((entry) => entry.action),
    ['token.delete'],
  );
  const { authenticator } = await h.totp(user);
  await assert.rejects(deleteToken(h.deps, ACTOR, authenticator.id), (error) =>
    isCountersignError(error, 'TOKEN_NOT_FOUND'),
  );
});

test('issue 12: deleteDevice removes a software authenticator, never a hardware token', async () => {
  const user = await h.user();
  const { authenticator } = await h.totp(user);
  const token = await hardwareToken('hotp');
  await assert.rejects(deleteDevice(h.deps, ACTOR, token.id), (error) =>
    isCountersignError(error, 'DEVICE_NOT_FOUND'),
  );
  const since = await lastAuditId();
  assert.equal(await deleteDevice(h.deps, ACTOR, authenticator.id), true);
  assert.equal(await deleteDevice(h.deps, ACTOR, authenticator.id), false);
  const [entry] = await audited(since);
  assert.equal(entry?.kind, 'admin');
  assert.equal(entry?.action, 'device.delete');
  assert.equal(entry?.userId, user.id);
});

test('issue 12: admin-api integrations get grants (default or listed); other types get none', async () => {
  assert.deepEqual(applicationPermissions('admin-api', undefined), [
    'read-resource',
    'write-resource',
    'read-log',
  ]);
  assert.deepEqual(applicationPermissions('admin-api', ['settings', 'read-info', 'settings']), [
    'read-info',
    'settings',
  ]);
  assert.deepEqual(applicationPermissions('admin-api', []), []);
  assert.throws(() => applicationPermissions('admin-api', ['root']), detail(/unknown 'root'/));
  assert.throws(() => applicationPermissions('auth-api', ['read-log']), detail(/only admin-api/));
  assert.deepEqual(applicationPermissions('auth-api', undefined), []);
  const { app } = await createApplication(h.deps, ACTOR, {
    name: 'Scripts',
    type: 'admin-api',
    permissions: ['read-log'],
  });
  assert.deepEqual((await h.deps.store.applications.get(app.id))?.permissions, ['read-log']);
});
