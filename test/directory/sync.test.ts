import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createUser, setUserStatus } from '../../src/core/admin/create-user.ts';
import { saveDirectory, syncDirectory, syncDisabledKey } from '../../src/core/directory/index.ts';
import { LdapUnavailableError } from '../../src/primary/ldap/index.ts';
import { closedPortUrl } from '../ldap/fixture.ts';
import { PEOPLE_DN, SLAPD_MISSING, type Slapd, startSlapd, WEIRD_UID } from '../support/slapd.ts';
import { directoryConfig, openTestCountersign, type TestCountersign } from './fixture.ts';

describe('directory sync against OpenLDAP', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  let cs: TestCountersign;
  before(async () => {
    slapd = await startSlapd();
  });
  after(() => slapd?.stop());
  beforeEach(async () => {
    cs = await openTestCountersign();
    await saveDirectory(cs.deps, 'test', directoryConfig('corp', [slapd.url]));
  });
  afterEach(() => cs.dispose());

  const user = (name: string) => cs.deps.store.users.findByName(name);

  test('the first sync adds every user with details and groups, without a local password', async () => {
    const report = await syncDirectory(cs.deps, 'admin', 'corp');
    assert.deepEqual(report, {
      directory: 'corp',
      dryRun: false,
      added: ['alice', 'bob', WEIRD_UID],
      updated: [],
      disabled: [],
      reenabled: [],
      unchanged: 0,
      conflicts: [],
      skipped: [],
    });
    const alice = await user('alice');
    assert.ok(alice);
    assert.equal(alice.directory, 'corp');
    assert.equal(alice.status, 'active');
    assert.equal(alice.passwordHash, null);
    assert.equal(alice.realName, 'Alice Liddell');
    assert.equal(alice.email, 'alice@example.org');
    assert.deepEqual(alice.groups, ['developers', 'staff', 'vpn-users']);
    assert.deepEqual((await user('bob'))?.groups, ['auditors', 'staff']);
    const groups = (await cs.deps.store.groups.list()).map((g) => g.name).sort();
    assert.deepEqual(groups, ['auditors', 'developers', 'staff', 'vpn-users']);
    const [entry] = await cs.deps.store.audit.tail({ limit: 1, kind: 'admin' });
    assert.equal(entry?.action, 'directory.sync');
    assert.equal(entry?.actor, 'admin');
    assert.deepEqual(entry?.detail, {
      directory: 'corp',
      read: 3,
      added: 3,
      updated: 0,
      disabled: 0,
      reenabled: 0,
      unchanged: 0,
      conflicts: [],
      skipped: [],
    });
  });

  test('an existing group keeps its policy', async () => {
    await cs.deps.store.groups.upsert({ name: 'staff', policy: { authPolicy: 'bypass' } });
    await syncDirectory(cs.deps, 'admin', 'corp');
    assert.deepEqual((await cs.deps.store.groups.get('staff'))?.policy, { authPolicy: 'bypass' });
  });

  test('a dry run reports the same changes and writes nothing', async () => {
    const auditBefore = await cs.deps.store.audit.tail({ limit: 100 });
    const report = await syncDirectory(cs.deps, 'admin', 'corp', { dryRun: true });
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.added, ['alice', 'bob', WEIRD_UID]);
    assert.equal(await cs.deps.store.users.count(), 0);
    assert.deepEqual(await cs.deps.store.groups.list(), []);
    assert.deepEqual(await cs.deps.store.audit.tail({ limit: 100 }), auditBefore);
  });

  test('a local user with a directory username is reported as a conflict and not taken over', async () => {
    const local = await createUser(cs.deps, 'admin', { username: 'Bob', password: 'local-pw' });
    const report = await syncDirectory(cs.deps, 'admin', 'corp');
    assert.deepEqual(report.added, ['alice', WEIRD_UID]);
    assert.deepEqual(report.conflicts, ['bob']);
    const bob = await user('bob');
    assert.equal(bob?.id, local.id);
    assert.equal(bob?.directory, null);
    assert.equal(bob?.passwordHash, local.passwordHash);
  });

  test('later syncs update and disable (never delete), re-enable returning users, not admin-disabled ones', async () => {
    await slapd.addUser({ uid: 'carol', password: 'carol-pw', cn: 'Carol C' });
    await slapd.addUser({ uid: 'dave', password: 'dave-pw', cn: 'Dave D' });
    try {
      assert.deepEqual((await syncDirectory(cs.deps, 'admin', 'corp')).added, [
        'alice',
        'bob',
        'carol',
        'dave',
        WEIRD_UID,
      ]);
      // an administrator disables dave by hand, then carol and dave leave the directory and bob changes
      await setUserStatus(cs.deps, 'admin', (await user('dave'))!, 'disabled');
      await slapd.removeUser('carol');
      await slapd.removeUser('dave');
      await slapd.replaceAttribute(`uid=bob,${PEOPLE_DN}`, 'mail', ['robert@example.org']);
      cs.clock.advance(60_000);

      const second = await syncDirectory(cs.deps, 'admin', 'corp');
      assert.deepEqual(second.disabled, ['carol']);
      assert.deepEqual(second.updated, [
        { username: 'bob', changes: { email: ['bob@example.org', 'robert@example.org'] } },
      ]);
      assert.equal(second.unchanged, 3); // alice, the weird one, and dave (already disabled)
      const carol = await user('carol');
      assert.equal(carol?.status, 'disabled'); // kept, not deleted
      assert.equal((await user('bob'))?.email, 'robert@example.org');
      assert.deepEqual(await cs.deps.store.settings.get(syncDisabledKey('corp')), [carol?.id]);
      const entries = await cs.deps.store.audit.tail({ limit: 2, kind: 'admin' });
      assert.deepEqual(
        entries.map((e) => [e.action, e.username]),
        [
          ['directory.disable-user', 'carol'],
          ['directory.sync', null],
        ],
      );

      // both come back: the one sync disabled is re-enabled, the one an administrator disabled is not
      await slapd.addUser({ uid: 'carol', password: 'carol-pw', cn: 'Carol C' });
      await slapd.addUser({ uid: 'dave', password: 'dave-pw', cn: 'Dave D' });
      const third = await syncDirectory(cs.deps, 'admin', 'corp');
      assert.deepEqual(third.reenabled, ['carol']);
      assert.deepEqual(third.added, []);
      assert.equal((await user('carol'))?.status, 'active');
      assert.equal((await user('carol'))?.id, carol?.id);
      assert.equal((await user('dave'))?.status, 'disabled');
      assert.deepEqual(await cs.deps.store.settings.get(syncDisabledKey('corp')), []);
    } finally {
      await slapd.removeUser('carol').catch(() => {});
      await slapd.removeUser('dave').catch(() => {});
      await slapd.replaceAttribute(`uid=bob,${PEOPLE_DN}`, 'mail', ['bob@example.org']);
    }
  });

  test('issue 9.4: a directory entry whose name is refused is skipped and reported, not imported', async () => {
    // A lookalike of alice (Cyrillic с) and a name LDAP's string preparation reads without its zero-width space.
    await slapd.addUser({ uid: 'ali\u0441e', password: 'mixed-pw', cn: 'Mixed Script' });
    await slapd.addUser({ uid: 'eve\u200b', password: 'invisible-pw', cn: 'Invisible' });
    try {
      const dry = await syncDirectory(cs.deps, 'admin', 'corp', { dryRun: true });
      assert.deepEqual(
        dry.skipped.map((s) => s.username),
        ['ali\u0441e', 'eve\u200b'],
      );
      const report = await syncDirectory(cs.deps, 'admin', 'corp');
      assert.deepEqual(report.added, ['alice', 'bob', WEIRD_UID]);
      assert.equal(report.skipped.length, 2);
      assert.match(report.skipped[0]!.reason, /mixes Latin and Cyrillic letters/);
      assert.match(report.skipped[1]!.reason, /invisible formatting character \(U\+200B\)/);
      assert.equal(await cs.deps.store.users.count(), 3, 'neither was imported');
      const [entry] = await cs.deps.store.audit.tail({ limit: 1, kind: 'admin' });
      assert.equal(entry?.action, 'directory.sync');
      assert.deepEqual((entry.detail as { skipped?: unknown }).skipped, report.skipped);
      // The next sync reports them again (they are still in the directory) and disables nobody.
      const again = await syncDirectory(cs.deps, 'admin', 'corp');
      assert.equal(again.skipped.length, 2);
      assert.deepEqual(again.disabled, []);
    } finally {
      await slapd.removeUser('ali\u0441e').catch(() => {});
      await slapd.removeUser('eve\u200b').catch(() => {});
    }
  });

  test('a directory that does not answer fails the sync and changes nothing', async () => {
    await syncDirectory(cs.deps, 'admin', 'corp');
    await saveDirectory(cs.deps, 'test', directoryConfig('corp', [await closedPortUrl()]));
    await assert.rejects(syncDirectory(cs.deps, 'admin', 'corp'), LdapUnavailableError);
    assert.equal((await user('alice'))?.status, 'active');
  });

  test('an unknown directory is INVALID_INPUT', async () => {
    await assert.rejects(syncDirectory(cs.deps, 'admin', 'nope'), { code: 'INVALID_INPUT' });
  });
});
