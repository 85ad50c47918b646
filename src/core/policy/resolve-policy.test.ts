// Unit tests for policy layering: defaults, global → application → groups, the lockout cap, enforcement dates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, MAX_LOCKOUT_THRESHOLD } from './defaults.ts';
import { beforeEnforcement, groupLayers, resolvePolicy } from './resolve-policy.ts';

test('no layers give the defaults, and the defaults are not shared by reference', () => {
  const policy = resolvePolicy();
  assert.deepEqual(policy, DEFAULT_POLICY);
  policy.lockoutThreshold = 3;
  assert.equal(DEFAULT_POLICY.lockoutThreshold, 10);
});

test('later layers win field by field; undefined fields and null layers leave earlier values', () => {
  const policy = resolvePolicy(
    { authPolicy: 'bypass', newUserPolicy: 'allow', rememberHours: 4 },
    null,
    { authPolicy: 'enforce', rememberHours: undefined },
    undefined,
    { allowedMethods: ['totp'] },
  );
  assert.equal(policy.authPolicy, 'enforce');
  assert.equal(policy.newUserPolicy, 'allow');
  assert.equal(policy.rememberHours, 4);
  assert.deepEqual(policy.allowedMethods, ['totp']);
});

test('null clears an inherited enforcement date or auto-unlock', () => {
  const policy = resolvePolicy(
    { enforcementDate: '2030-01-01', autoUnlockMinutes: 5 },
    { enforcementDate: null, autoUnlockMinutes: null },
  );
  assert.equal(policy.enforcementDate, null);
  assert.equal(policy.autoUnlockMinutes, null);
});

test(`the lockout threshold is kept within 1..${MAX_LOCKOUT_THRESHOLD}`, () => {
  assert.equal(resolvePolicy({ lockoutThreshold: 1000 }).lockoutThreshold, 100);
  assert.equal(resolvePolicy({ lockoutThreshold: 0 }).lockoutThreshold, 1);
  assert.equal(resolvePolicy({ lockoutThreshold: 25 }).lockoutThreshold, 25);
});

test('group layers come in name order whatever order the user lists them, unknown groups skipped', () => {
  const groups = new Map([
    ['b-admins', { authPolicy: 'deny' as const }],
    ['a-staff', { authPolicy: 'bypass' as const }],
  ]);
  const layers = groupLayers(['b-admins', 'ghosts', 'a-staff'], groups);
  assert.deepEqual(layers, [{ authPolicy: 'bypass' }, { authPolicy: 'deny' }]);
  assert.equal(resolvePolicy(...layers).authPolicy, 'deny');
  assert.deepEqual(groupLayers(['a-staff', 'b-admins'], groups), layers);
});

test('beforeEnforcement: true before midnight UTC of the date, false from then on and with no date', () => {
  const policy = resolvePolicy({ enforcementDate: '2025-07-01' });
  assert.equal(beforeEnforcement(policy, Date.UTC(2025, 5, 30, 23, 59, 59)), true);
  assert.equal(beforeEnforcement(policy, Date.UTC(2025, 6, 1)), false);
  assert.equal(beforeEnforcement(resolvePolicy(), 0), false);
});
