import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffDirectory, type ExistingUser } from './diff-users.ts';
import type { DirectoryUser } from './entry.ts';

const dirUser = (username: string, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  dn: `uid=${username},ou=people,dc=example,dc=org`,
  username,
  realName: `${username} name`,
  email: `${username}@example.org`,
  phone: null,
  groups: ['staff'],
  ...extra,
});

const stored = (username: string, extra: Partial<ExistingUser> = {}): ExistingUser => ({
  username,
  realName: `${username} name`,
  email: `${username}@example.org`,
  phone: null,
  groups: ['staff'],
  status: 'active',
  ...extra,
});

test('new directory users are added, matching ones unchanged', () => {
  const diff = diffDirectory([stored('alice')], [dirUser('alice'), dirUser('bob')]);
  assert.deepEqual(
    diff.add.map((u) => u.username),
    ['bob'],
  );
  assert.deepEqual(diff.update, []);
  assert.deepEqual(diff.disable, []);
  assert.equal(diff.unchanged, 1);
});

test('changed fields are reported with before and after; group order does not matter', () => {
  const diff = diffDirectory(
    [stored('alice', { groups: ['vpn', 'staff'] })],
    [dirUser('alice', { email: 'a@new.example', phone: '+1 555', groups: ['staff', 'vpn', 'admins'] })],
  );
  assert.deepEqual(diff.update, [
    {
      username: 'alice',
      changes: {
        email: ['alice@example.org', 'a@new.example'],
        phone: [null, '+1 555'],
        groups: [
          ['staff', 'vpn'],
          ['admins', 'staff', 'vpn'],
        ],
      },
    },
  ]);
  assert.equal(
    diffDirectory([stored('a', { groups: ['y', 'x'] })], [dirUser('a', { groups: ['x', 'y'] })]).unchanged,
    1,
  );
});

test('users missing from the directory are disabled, once', () => {
  const diff = diffDirectory(
    [stored('alice'), stored('carol'), stored('dave', { status: 'disabled' })],
    [dirUser('alice')],
  );
  assert.deepEqual(diff.disable, ['carol']);
  assert.equal(diff.unchanged, 2);
});

test('a disabled user who comes back is re-enabled through an update', () => {
  const diff = diffDirectory([stored('carol', { status: 'disabled' })], [dirUser('carol')]);
  assert.deepEqual(diff.update, [{ username: 'carol', changes: { status: ['disabled', 'active'] } }]);
  assert.deepEqual(diff.add, []);
});

test('a user disabled by an admin stays disabled', () => {
  const diff = diffDirectory(
    [stored('carol', { status: 'disabled', disabledBy: 'admin' })],
    [dirUser('carol')],
  );
  assert.deepEqual(diff.update, []);
  assert.equal(diff.unchanged, 1);
});

test('usernames match case-insensitively and a case change is an update', () => {
  const diff = diffDirectory(
    [stored('alice')],
    [dirUser('Alice', { realName: 'alice name', email: 'alice@example.org' })],
  );
  assert.deepEqual(diff.add, []);
  assert.deepEqual(diff.update, [{ username: 'alice', changes: { username: ['alice', 'Alice'] } }]);
});

test('results are sorted and an empty directory disables everyone active', () => {
  const diff = diffDirectory([stored('zed'), stored('amy'), stored('kim', { status: 'bypass' })], []);
  assert.deepEqual(diff.disable, ['amy', 'kim', 'zed']);
});
