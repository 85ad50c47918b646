import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newKeyRing } from '../../crypto/keyring.ts';
import {
  DEFAULT_ATTRIBUTES,
  type LdapAuthResult,
  type LdapDirectoryConfig,
} from '../../primary/ldap/index.ts';
import { DIRECTORIES, sealSecret } from '../admin/sealed-settings.ts';
import { manualClock, secureRandom } from '../clock.ts';
import type { User } from '../model.ts';
import type { PrimaryAuth } from '../primary-auth.ts';
import type { Store } from '../repositories.ts';
import { directoryPrimaryAuth } from './directory-primary-auth.ts';
import type { StoredDirectory } from './directory-settings.ts';

const ring = newKeyRing(secureRandom);

function stored(name: string): StoredDirectory {
  return {
    name,
    urls: ['ldap://127.0.0.1:1'],
    bindDn: 'cn=svc',
    baseDn: 'dc=example',
    userAttribute: 'uid',
    userFilter: '(objectClass=*)',
    startTls: false,
    tlsRejectUnauthorized: true,
    connectTimeoutMs: 1000,
    operationTimeoutMs: 1000,
    attributes: { ...DEFAULT_ATTRIBUTES },
    bindPasswordSealed: sealSecret(ring, DIRECTORIES, name, 'svc-pw'),
  };
}

function user(directory: string | null): User {
  return {
    id: 'DU1',
    username: 'alice',
    aliases: [],
    realName: null,
    email: null,
    phone: null,
    groups: [],
    status: 'active',
    passwordHash: null,
    directory,
    failedAttempts: 0,
    lockedAt: null,
    createdAt: 0,
    lastLoginAt: null,
    notes: null,
  };
}

/** A settings-only store that counts reads. */
function fakeStore(directories: Record<string, StoredDirectory>) {
  let reads = 0;
  const store = {
    settings: {
      get: async (key: string) => {
        reads++;
        return key === DIRECTORIES.key ? directories : null;
      },
    },
  } as unknown as Store;
  return { store, reads: () => reads };
}

function setup(outcome: LdapAuthResult, directories = { corp: stored('corp') }) {
  const clock = manualClock(1_000_000);
  const { store, reads } = fakeStore(directories);
  const calls: Array<[LdapDirectoryConfig, string, string]> = [];
  const localCalls: string[] = [];
  const local: PrimaryAuth = {
    check: async (_user, password) => {
      localCalls.push(password);
      return 'ok';
    },
  };
  const auth = directoryPrimaryAuth(() => ({ store, ring, clock }), {
    local,
    authenticate: async (config, username, password) => {
      calls.push([config, username, password]);
      return outcome;
    },
  });
  return { auth, calls, localCalls, clock, reads };
}

const okResult: LdapAuthResult = {
  ok: true,
  user: { dn: 'uid=alice', username: 'alice', realName: null, email: null, phone: null, groups: [] },
};

describe('directoryPrimaryAuth', () => {
  test('a directory user is checked against their directory with the opened bind password', async () => {
    const { auth, calls, localCalls } = setup(okResult);
    assert.equal(await auth.check(user('corp'), 'pw'), 'ok');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.[0].name, 'corp');
    assert.equal(calls[0]?.[0].bindPassword, 'svc-pw');
    assert.deepEqual(calls[0]?.slice(1), ['alice', 'pw']);
    assert.deepEqual(localCalls, []);
  });

  test('each directory failure maps to bad or unavailable, never to a local check', async () => {
    const expected = {
      'bad-credentials': 'bad',
      'unknown-user': 'bad',
      'ambiguous-user': 'bad',
      'empty-password': 'bad',
      unavailable: 'unavailable',
    } as const;
    for (const [reason, want] of Object.entries(expected)) {
      const { auth, localCalls } = setup({ ok: false, reason: reason as keyof typeof expected });
      assert.equal(await auth.check(user('corp'), 'pw'), want, reason);
      assert.deepEqual(localCalls, []);
    }
  });

  test('issue 9.4: the stored name is sent, and an entry carrying another name does not vouch for the user', async () => {
    const looser = { ...okResult, user: { ...okResult.user, username: 'ALICE ' } } as LdapAuthResult;
    const same = setup(looser);
    assert.equal(await same.auth.check(user('corp'), 'pw'), 'ok', 'the same canonical name');
    assert.deepEqual(same.calls[0]?.slice(1), ['alice', 'pw']);
    const other = setup({
      ...okResult,
      user: { ...okResult.user, username: 'alice.other' },
    } as LdapAuthResult);
    assert.equal(await other.auth.check(user('corp'), 'pw'), 'bad');
  });

  test('a local user goes to the local check only', async () => {
    const { auth, calls, localCalls } = setup(okResult);
    assert.equal(await auth.check(user(null), 'pw'), 'ok');
    assert.deepEqual(localCalls, ['pw']);
    assert.equal(calls.length, 0);
  });

  test('an unknown directory is unavailable without an LDAP call', async () => {
    const { auth, calls } = setup(okResult);
    assert.equal(await auth.check(user('gone'), 'pw'), 'unavailable');
    assert.equal(calls.length, 0);
  });

  test('a password sealed for another directory is unavailable, not an exception', async () => {
    const { auth, calls } = setup(okResult, { corp: { ...stored('other'), name: 'corp' } });
    assert.equal(await auth.check(user('corp'), 'pw'), 'unavailable');
    assert.equal(calls.length, 0);
  });

  test('the configuration is read once per few seconds', async () => {
    const { auth, clock, reads } = setup(okResult);
    await auth.check(user('corp'), 'pw');
    clock.advance(4999);
    await auth.check(user('corp'), 'pw');
    assert.equal(reads(), 1);
    clock.advance(1);
    await auth.check(user('corp'), 'pw');
    assert.equal(reads(), 2);
  });
});
