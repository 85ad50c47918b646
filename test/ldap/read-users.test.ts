import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LdapUnavailableError } from '../../src/primary/ldap/connect.ts';
import { diffDirectory, type ExistingUser } from '../../src/primary/ldap/diff-users.ts';
import type { DirectoryUser } from '../../src/primary/ldap/entry.ts';
import { LdapReadOptionsError, readDirectoryUsers } from '../../src/primary/ldap/read-users.ts';
import { GROUPS_DN, PEOPLE_DN, SLAPD_MISSING, type Slapd, startSlapd, WEIRD_UID } from '../support/slapd.ts';
import { closedPortUrl, configFor } from './fixture.ts';

/** What the store would hold after applying a read. */
const stored = (users: DirectoryUser[], status = 'active'): ExistingUser[] =>
  users.map(({ username, realName, email, phone, groups }) => ({
    username,
    realName,
    email,
    phone,
    groups,
    status,
  }));

describe('reading and syncing users from OpenLDAP', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  before(async () => {
    slapd = await startSlapd();
  });
  after(() => slapd?.stop());

  test('every user comes back with details and groups from all three group kinds', async () => {
    const users = await readDirectoryUsers(configFor([slapd.url]));
    assert.deepEqual(
      users.map((u) => [u.username, u.realName, u.email, u.phone, u.groups]),
      [
        ['alice', 'Alice Liddell', 'alice@example.org', '+1 555 0100', ['developers', 'staff', 'vpn-users']],
        ['bob', 'Bobby B', 'bob@example.org', '+1 555 0101', ['auditors', 'staff']],
        [WEIRD_UID, 'Weird Name', null, null, []],
      ],
    );
    assert.equal(users[0]?.dn, `uid=alice,${PEOPLE_DN}`);
  });

  test('paging with one entry per page gives the same users', async () => {
    const config = configFor([slapd.url]);
    assert.deepEqual(await readDirectoryUsers(config, { pageSize: 1 }), await readDirectoryUsers(config));
  });

  test('an extra filter narrows the read; a malformed one is refused before connecting', async () => {
    const config = configFor([slapd.url]);
    const users = await readDirectoryUsers(config, { filter: '(mail=*)' });
    assert.deepEqual(
      users.map((u) => u.username),
      ['alice', 'bob'],
    );
    await assert.rejects(readDirectoryUsers(config, { filter: 'mail=*' }), LdapReadOptionsError);
  });

  test('no server answering rejects with LdapUnavailableError', async () => {
    await assert.rejects(readDirectoryUsers(configFor([await closedPortUrl()])), LdapUnavailableError);
  });

  test('added, modified and removed entries show up as add, update and disable', async () => {
    const config = configFor([slapd.url]);
    const first = await readDirectoryUsers(config);
    assert.deepEqual(
      diffDirectory([], first).add.map((u) => u.username),
      ['alice', 'bob', WEIRD_UID],
    );
    const store = stored(first);
    assert.deepEqual(diffDirectory(store, first), { add: [], update: [], disable: [], unchanged: 3 });

    await slapd.addUser({ uid: 'carol', password: 'carol-pw', cn: 'Carol Ann', mail: 'carol@example.org' });
    await slapd.replaceAttribute(`uid=bob,${PEOPLE_DN}`, 'mail', ['robert@example.org']);
    await slapd.replaceAttribute(`cn=staff,${GROUPS_DN}`, 'member', [`uid=bob,${PEOPLE_DN}`]);
    await slapd.removeUser(WEIRD_UID);

    const second = diffDirectory(store, await readDirectoryUsers(config));
    assert.deepEqual(
      second.add.map((u) => [u.username, u.email]),
      [['carol', 'carol@example.org']],
    );
    assert.deepEqual(second.update, [
      {
        username: 'alice',
        changes: {
          groups: [
            ['developers', 'staff', 'vpn-users'],
            ['developers', 'vpn-users'],
          ],
        },
      },
      { username: 'bob', changes: { email: ['bob@example.org', 'robert@example.org'] } },
    ]);
    assert.deepEqual(second.disable, [WEIRD_UID]);
    assert.equal(second.unchanged, 0);

    // once disabled, the missing user is not disabled again; when back, re-enabled
    const afterSync = stored(await readDirectoryUsers(config));
    afterSync.push({ ...stored(first)[2]!, status: 'disabled' });
    assert.deepEqual(diffDirectory(afterSync, await readDirectoryUsers(config)).disable, []);
    await slapd.addUser({ uid: WEIRD_UID, password: 'weird-pw', cn: 'Weird Name' });
    const third = diffDirectory(afterSync, await readDirectoryUsers(config));
    assert.deepEqual(third.update, [{ username: WEIRD_UID, changes: { status: ['disabled', 'active'] } }]);
  });
});
