import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from 'ldapts';
import { DEFAULT_ATTRIBUTES, type LdapDirectoryConfig } from './config.ts';
import { toDirectoryUser, userAttributesToRead } from './entry.ts';

const config: LdapDirectoryConfig = {
  name: 'ad',
  urls: ['ldap://127.0.0.1:1'],
  bindDn: 'cn=svc',
  bindPassword: 'x',
  baseDn: 'dc=corp',
  userAttribute: 'sAMAccountName',
  startTls: false,
  connectTimeoutMs: 1000,
  operationTimeoutMs: 1000,
  attributes: { ...DEFAULT_ATTRIBUTES },
};

test('an Active Directory entry becomes a DirectoryUser with memberOf groups', () => {
  const entry: Entry = {
    dn: 'CN=Alice Liddell,OU=Staff,DC=corp',
    sAMAccountName: 'alice',
    cn: 'Alice Liddell',
    mail: 'alice@corp.example',
    mobile: '+1 555 0199',
    memberOf: ['CN=VPN Users,OU=Groups,DC=corp', 'CN=Sales\\, EMEA,OU=Groups,DC=corp'],
  };
  assert.deepEqual(toDirectoryUser(config, entry, ['Extra']), {
    dn: 'CN=Alice Liddell,OU=Staff,DC=corp',
    username: 'alice',
    realName: 'Alice Liddell',
    email: 'alice@corp.example',
    phone: '+1 555 0199',
    groups: ['Extra', 'Sales, EMEA', 'VPN Users'],
  });
});

test('attribute names match case-insensitively; fallbacks apply in order; empty lists mean absent', () => {
  const entry: Entry = {
    dn: 'uid=bob',
    samaccountname: 'bob',
    displayName: 'Bobby',
    cn: 'Bob Builder',
    telephoneNumber: [],
    MOBILE: Buffer.from('+1 555 0101'),
  };
  const user = toDirectoryUser(config, entry);
  assert.equal(user?.realName, 'Bobby');
  assert.equal(user?.phone, '+1 555 0101');
  assert.equal(user?.email, null);
  assert.deepEqual(user?.groups, []);
});

test('an entry without the username attribute is skipped', () => {
  assert.equal(toDirectoryUser(config, { dn: 'cn=x', cn: 'x' }), null);
});

test('the attribute list covers every configured name once', () => {
  assert.deepEqual(userAttributesToRead(config), [
    'sAMAccountName',
    'uid',
    'displayName',
    'cn',
    'mail',
    'telephoneNumber',
    'mobile',
    'memberOf',
  ]);
});
