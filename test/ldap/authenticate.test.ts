import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authenticateLdap } from '../../src/primary/ldap/authenticate.ts';
import { SLAPD_MISSING, type Slapd, startSlapd, WEIRD_UID } from '../support/slapd.ts';
import { configFor, silentServer } from './fixture.ts';

describe('LDAP authentication against OpenLDAP', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  before(async () => {
    slapd = await startSlapd();
  });
  after(() => slapd?.stop());

  test('a correct password logs in and returns the directory details with groups', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), 'alice', 'alice-pw');
    assert.deepEqual(result, {
      ok: true,
      user: {
        dn: 'uid=alice,ou=people,dc=example,dc=org',
        username: 'alice',
        realName: 'Alice Liddell',
        email: 'alice@example.org',
        phone: '+1 555 0100',
        groups: ['developers', 'staff', 'vpn-users'], // groupOfNames + posixGroup memberUid
      },
    });
  });

  test('attribute fallbacks and groupOfUniqueNames membership', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), 'bob', 'bob-pw');
    assert.ok(result.ok);
    assert.equal(result.user.realName, 'Bobby B'); // displayName before cn
    assert.equal(result.user.phone, '+1 555 0101'); // mobile when telephoneNumber is absent
    assert.deepEqual(result.user.groups, ['auditors', 'staff']);
  });

  test('the login name matches case-insensitively and the directory spelling is returned', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), 'ALICE', 'alice-pw');
    assert.ok(result.ok);
    assert.equal(result.user.username, 'alice');
  });

  test('a wrong password is bad-credentials', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), 'alice', 'bob-pw');
    assert.deepEqual(result, { ok: false, reason: 'bad-credentials' });
  });

  test('an unknown user is unknown-user', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), 'mallory', 'alice-pw');
    assert.deepEqual(result, { ok: false, reason: 'unknown-user' });
  });

  test('an empty or NUL-carrying password is refused before any connection is made', async () => {
    const server = await silentServer();
    try {
      const config = configFor([server.url]);
      for (const password of ['', '\0', 'alice-pw\0']) {
        assert.deepEqual(await authenticateLdap(config, 'alice', password), {
          ok: false,
          reason: 'empty-password',
        });
      }
      assert.equal(server.connections(), 0);
      // and against the real server, where an empty password would be an anonymous bind that succeeds
      assert.deepEqual(await authenticateLdap(configFor([slapd.url]), 'alice', ''), {
        ok: false,
        reason: 'empty-password',
      });
    } finally {
      await server.close();
    }
  });

  test('filter-injection login names never log in and never match several users', async () => {
    const config = configFor([slapd.url]);
    const names = [
      '*',
      'alice)(uid=*',
      '*)(|(uid=*',
      '\\2a',
      'a*',
      '*)',
      'alice)',
      '(uid=alice)',
      'star*',
      '\0',
    ];
    for (const name of names) {
      for (const password of ['alice-pw', 'bob-pw', 'weird-pw']) {
        const result = await authenticateLdap(config, name, password);
        assert.deepEqual(result, { ok: false, reason: 'unknown-user' }, `login name ${JSON.stringify(name)}`);
      }
    }
  });

  test('a login name holding filter metacharacters matches itself literally', async () => {
    const result = await authenticateLdap(configFor([slapd.url]), WEIRD_UID, 'weird-pw');
    assert.ok(result.ok);
    assert.equal(result.user.username, WEIRD_UID);
  });

  test('non-ASCII login names work', async () => {
    await slapd.addUser({ uid: 'josé', password: 'jose-pw', cn: 'José Núñez', mail: 'jose@example.org' });
    const result = await authenticateLdap(configFor([slapd.url]), 'josé', 'jose-pw');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.user.realName, 'José Núñez');
  });

  test('a name held by two entries is ambiguous-user, even with a right password', async () => {
    await slapd.addUser({ uid: 'lorina', password: 'lorina-pw', cn: 'Lorina Liddell', sn: 'Liddell' });
    const config = configFor([slapd.url], { userAttribute: 'sn' });
    const result = await authenticateLdap(config, 'Liddell', 'alice-pw');
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, 'ambiguous-user');
  });

  test('the configured userFilter restricts who may log in', async () => {
    const config = configFor([slapd.url], { userFilter: '(mail=bob@example.org)' });
    assert.deepEqual(await authenticateLdap(config, 'alice', 'alice-pw'), {
      ok: false,
      reason: 'unknown-user',
    });
    assert.equal((await authenticateLdap(config, 'bob', 'bob-pw')).ok, true);
  });

  test('a rejected service account is unavailable with the reason', async () => {
    const result = await authenticateLdap(
      configFor([slapd.url], { bindPassword: 'wrong' }),
      'alice',
      'alice-pw',
    );
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, 'unavailable');
    assert.match(result.ok ? '' : (result.detail ?? ''), /InvalidCredentials/);
  });
});
