import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser, setUserPassword } from '../../src/core/admin/create-user.ts';
import { removeDirectory, saveDirectory, syncDirectory } from '../../src/core/directory/index.ts';
import type { Application } from '../../src/core/model.ts';
import { verifyPrimary } from '../../src/core/primary-auth.ts';
import { closedPortUrl, silentServer } from '../ldap/fixture.ts';
import { SLAPD_MISSING, type Slapd, startSlapd, WEIRD_UID } from '../support/slapd.ts';
import { directoryConfig, openTestCountersign, type TestCountersign } from './fixture.ts';

describe('primary authentication of directory users', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  let cs: TestCountersign;
  let app: Application;
  before(async () => {
    slapd = await startSlapd();
    cs = await openTestCountersign();
    await saveDirectory(cs.deps, 'test', directoryConfig('corp', [slapd.url]));
    await syncDirectory(cs.deps, 'test', 'corp');
    app = (await createApplication(cs.deps, 'test', { name: 'vpn', type: 'radius' })).app;
  });
  after(async () => {
    await cs?.dispose();
    await slapd?.stop();
  });

  const login = (username: string, password: string) => verifyPrimary(cs.deps, app, username, password, null);
  const failures = async (username: string) =>
    (await cs.deps.store.users.findByName(username))?.failedAttempts;
  /** Moves an existing user to another directory. */
  const moveTo = async (username: string, directory: string) => {
    const user = await cs.deps.store.users.findByName(username);
    await cs.deps.store.users.update(user!.id, { directory });
  };

  test('the directory password logs in', async () => {
    const result = await login('alice', 'alice-pw');
    assert.equal(result.ok, true);
    assert.equal(result.user?.username, 'alice');
    assert.equal((await login(WEIRD_UID, 'weird-pw')).ok, true);
  });

  test('a wrong password fails and counts toward lockout', async () => {
    const before = await failures('bob');
    const result = await login('bob', 'alice-pw');
    assert.deepEqual([result.ok, !result.ok && result.reason], [false, 'bad_credentials']);
    assert.equal(await failures('bob'), (before ?? 0) + 1);
    const [entry] = await cs.deps.store.audit.tail({ limit: 1, kind: 'auth' });
    assert.equal(entry?.reason, 'bad_password');
  });

  test('a directory user never falls back to a local password', async () => {
    const alice = await cs.deps.store.users.findByName('alice');
    await setUserPassword(cs.deps, 'test', alice!, 'local-pw');
    assert.equal((await login('alice', 'local-pw')).ok, false);
    assert.equal((await login('alice', 'alice-pw')).ok, true);
  });

  test('an empty password fails without any LDAP connection', async () => {
    const server = await silentServer();
    try {
      await saveDirectory(cs.deps, 'test', directoryConfig('hung', [server.url]));
      await createUser(cs.deps, 'test', { username: 'eve', directory: 'hung' });
      const result = await login('eve', '');
      assert.deepEqual([result.ok, !result.ok && result.reason], [false, 'bad_credentials']);
      assert.equal(server.connections(), 0);
      assert.equal((await login('alice', '')).ok, false); // an anonymous bind would have "succeeded"
    } finally {
      await server.close();
    }
  });

  test('login names carrying filter syntax never log in', async () => {
    for (const name of ['*', 'alice)(uid=*', '*)(|(uid=*', 'al*', '\\2a']) {
      await createUser(cs.deps, 'test', { username: name, directory: 'corp' });
      const result = await login(name, 'alice-pw');
      assert.equal(result.ok, false, name);
      assert.equal(!result.ok && result.reason, 'bad_credentials', name);
    }
  });

  test('the next URL is used when the first server is down', async () => {
    await saveDirectory(cs.deps, 'test', directoryConfig('failover', [await closedPortUrl(), slapd.url]));
    await moveTo('bob', 'failover');
    assert.equal((await login('bob', 'bob-pw')).ok, true);
  });

  test('a directory that does not answer is unavailable and counts nothing', async () => {
    await saveDirectory(cs.deps, 'test', directoryConfig('down', [await closedPortUrl()]));
    await moveTo(WEIRD_UID, 'down');
    const before = await failures(WEIRD_UID);
    const result = await login(WEIRD_UID, 'weird-pw');
    assert.deepEqual([result.ok, !result.ok && result.reason], [false, 'unavailable']);
    assert.equal(await failures(WEIRD_UID), before);
    const [entry] = await cs.deps.store.audit.tail({ limit: 1, kind: 'auth' });
    assert.equal(entry?.reason, 'directory_unavailable');
  });

  test('users of a removed directory cannot log in', async () => {
    await saveDirectory(cs.deps, 'test', directoryConfig('gone', [slapd.url]));
    await createUser(cs.deps, 'test', { username: 'carol', directory: 'gone', password: 'carol-local' });
    await removeDirectory(cs.deps, 'test', 'gone');
    // the PrimaryAuth caches configurations for a few seconds: let the frozen clock pass that
    cs.clock.advance(60_000);
    const result = await login('carol', 'carol-local');
    assert.deepEqual([result.ok, !result.ok && result.reason], [false, 'unavailable']);
  });

  test('local users still use their local password', async () => {
    await createUser(cs.deps, 'test', { username: 'localuser', password: 'local-pw' });
    assert.equal((await login('localuser', 'local-pw')).ok, true);
    assert.equal((await login('localuser', 'alice-pw')).ok, false);
  });
});
