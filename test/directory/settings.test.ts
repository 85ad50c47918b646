import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createUser } from '../../src/core/admin/create-user.ts';
import { DIRECTORIES, resealSettings } from '../../src/core/admin/sealed-settings.ts';
import { secureRandom } from '../../src/core/clock.ts';
import {
  listDirectories,
  loadDirectory,
  readStoredDirectories,
  removeDirectory,
  type StoredDirectories,
  saveDirectory,
} from '../../src/core/directory/directory-settings.ts';
import { addPrimaryKey } from '../../src/crypto/keyring.ts';
import { sealedKeyId } from '../../src/crypto/secret-box.ts';
import { DEFAULT_ATTRIBUTES, type LdapDirectoryConfig } from '../../src/primary/ldap/index.ts';
import { openTestCountersign, type TestCountersign } from './fixture.ts';

const PASSWORD = 'Bind-Password-4-Tests';

function config(name: string, overrides: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig {
  return {
    name,
    urls: ['ldaps://dc1.example.org', 'ldaps://dc2.example.org'],
    bindDn: 'CN=svc-countersign,OU=Service,DC=example,DC=org',
    bindPassword: PASSWORD,
    baseDn: 'DC=example,DC=org',
    userAttribute: 'sAMAccountName',
    userFilter: '(objectClass=user)',
    startTls: false,
    tlsRejectUnauthorized: true,
    connectTimeoutMs: 5000,
    operationTimeoutMs: 10000,
    attributes: { ...DEFAULT_ATTRIBUTES },
    ...overrides,
  };
}

describe('stored directory settings', () => {
  let cs: TestCountersign;
  beforeEach(async () => {
    cs = await openTestCountersign();
  });
  afterEach(() => cs.dispose());

  test('a saved directory loads back with its password; the list never carries it', async () => {
    assert.deepEqual(await saveDirectory(cs.deps, 'admin', config('corp')), { replaced: false });
    assert.deepEqual(await loadDirectory(cs.deps, 'corp'), config('corp'));
    const listed = await listDirectories(cs.deps);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.name, 'corp');
    assert.doesNotMatch(JSON.stringify(listed), new RegExp(`${PASSWORD}|bindPassword`));
    assert.equal(await loadDirectory(cs.deps, 'other'), null);
  });

  test('saving again replaces; directories list sorted by name; both are audited', async () => {
    await saveDirectory(cs.deps, 'admin', config('zeta'));
    await saveDirectory(cs.deps, 'admin', config('alpha'));
    const again = await saveDirectory(cs.deps, 'admin', config('zeta', { userAttribute: 'uid' }));
    assert.deepEqual(again, { replaced: true });
    assert.deepEqual(
      (await listDirectories(cs.deps)).map((d) => [d.name, d.userAttribute]),
      [
        ['alpha', 'sAMAccountName'],
        ['zeta', 'uid'],
      ],
    );
    const entries = await cs.deps.store.audit.tail({ limit: 10, kind: 'admin' });
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor, e.detail.directory, e.detail.replaced]),
      [
        ['directory.save', 'admin', 'zeta', false],
        ['directory.save', 'admin', 'alpha', false],
        ['directory.save', 'admin', 'zeta', true],
      ],
    );
  });

  test('bad names and bad settings are refused with every problem named', async () => {
    await assert.rejects(
      saveDirectory(cs.deps, 'admin', config('Corp!', { urls: ['http://x'] })),
      (error) => {
        assert.equal((error as { code?: string }).code, 'INVALID_INPUT');
        const detail = String((error as { detail?: string }).detail);
        assert.match(detail, /directory name 'Corp!'/);
        assert.match(detail, /'urls' must be ldap:\/\/ or ldaps:\/\/ URLs/);
        return true;
      },
    );
    for (const name of ['', 'a'.repeat(65), 'UPPER', 'dot.ted', 'sp ace']) {
      await assert.rejects(saveDirectory(cs.deps, 'admin', config(name)), { code: 'INVALID_INPUT' }, name);
    }
    await saveDirectory(cs.deps, 'admin', config(`${'a'.repeat(62)}_-`));
  });

  test('the bind password is never written to the database in plain text', async () => {
    await saveDirectory(cs.deps, 'admin', config('corp'));
    const closed = cs;
    cs = await openTestCountersign(); // for afterEach
    await closed.close(); // checkpoints the write-ahead log into the database file
    const files = await readdir(closed.dataDir);
    const bytes = Buffer.concat(await Promise.all(files.map((f) => readFile(join(closed.dataDir, f)))));
    await rm(closed.dataDir, { recursive: true, force: true });
    // the settings row is there (so this is the right file) ...
    assert.ok(bytes.includes('CN=svc-countersign,OU=Service'));
    // ... but the password is not
    assert.ok(!bytes.includes(PASSWORD));
    assert.ok(!bytes.includes(Buffer.from(PASSWORD, 'utf16le')));
  });

  test('a sealed password is bound to its directory name', async () => {
    await saveDirectory(cs.deps, 'admin', config('corp'));
    const all = await readStoredDirectories(cs.deps.store);
    const moved: StoredDirectories = { ...all, evil: { ...all.corp!, name: 'evil' } };
    await cs.deps.store.settings.set(DIRECTORIES.key, moved);
    await assert.rejects(loadDirectory(cs.deps, 'evil'), { code: 'KEYRING_MISSING' });
  });

  test('removing a directory keeps its users and reports how many still name it', async () => {
    await saveDirectory(cs.deps, 'admin', config('corp'));
    await saveDirectory(cs.deps, 'admin', config('other'));
    await createUser(cs.deps, 'admin', { username: 'alice', directory: 'corp' });
    assert.deepEqual(await removeDirectory(cs.deps, 'admin', 'corp'), { users: 1 });
    assert.deepEqual(
      (await listDirectories(cs.deps)).map((d) => d.name),
      ['other'],
    );
    assert.equal((await cs.deps.store.users.findByName('alice'))?.directory, 'corp');
    await assert.rejects(removeDirectory(cs.deps, 'admin', 'corp'), { code: 'INVALID_INPUT' });
    const [entry] = await cs.deps.store.audit.tail({ limit: 1, kind: 'admin' });
    assert.deepEqual([entry?.action, entry?.detail], ['directory.remove', { directory: 'corp', users: 1 }]);
  });

  test('resealSettings moves every bind password to the new primary key, once', async () => {
    await saveDirectory(cs.deps, 'admin', config('a'));
    await saveDirectory(cs.deps, 'admin', config('b'));
    const ring = addPrimaryKey(cs.deps.ring, secureRandom);
    assert.equal(await cs.deps.store.atomically((repos) => resealSettings(repos, ring)), 2);
    const stored = await readStoredDirectories(cs.deps.store);
    assert.deepEqual(
      Object.values(stored).map((d) => sealedKeyId(d.bindPasswordSealed)),
      [ring.primaryId, ring.primaryId],
    );
    assert.equal((await loadDirectory({ store: cs.deps.store, ring }, 'b'))?.bindPassword, PASSWORD);
    assert.equal(await cs.deps.store.atomically((repos) => resealSettings(repos, ring)), 0);
  });
});
