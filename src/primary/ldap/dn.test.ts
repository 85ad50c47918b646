import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { firstRdnValue, normalizeDn, parseDn } from './dn.ts';
import { escapeDnValue } from './escape.ts';

test('first RDN value of a memberOf DN', () => {
  assert.equal(firstRdnValue('cn=VPN Users,ou=groups,dc=example,dc=org'), 'VPN Users');
  assert.equal(firstRdnValue('CN=Domain Admins,CN=Users,DC=corp,DC=example'), 'Domain Admins');
});

test('escaped characters in the first RDN are unescaped (RFC 4514 §3)', () => {
  assert.equal(firstRdnValue('cn=Sales\\, EMEA,ou=groups,dc=x'), 'Sales, EMEA');
  assert.equal(firstRdnValue('cn=Lu\\C4\\8Di\\C4\\87,dc=x'), 'Lučić');
});

test('multi-valued RDN keeps its first value', () => {
  assert.equal(firstRdnValue('cn=ops+ou=it,dc=x'), 'ops');
});

test('malformed DNs give null', () => {
  assert.equal(firstRdnValue('not a dn'), null);
  assert.equal(firstRdnValue('cn=x,'), null);
  assert.equal(firstRdnValue('cn=x\\'), null);
  assert.equal(firstRdnValue(''), null);
});

test('normalizeDn ignores case and spaces around separators, keeps escaped commas apart', () => {
  assert.equal(
    normalizeDn('UID=Alice, OU=People,dc=Example,dc=org'),
    normalizeDn('uid=alice,ou=people,dc=example,dc=org'),
  );
  assert.notEqual(normalizeDn('cn=a\\,b,dc=x'), normalizeDn('cn=a,cn=b,dc=x'));
});

test('property: escapeDnValue output parses back to the same value', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), (value) => {
      const rdns = parseDn(`cn=${escapeDnValue(value)},dc=example`);
      assert.deepEqual(rdns, [
        { type: 'cn', value },
        { type: 'dc', value: 'example' },
      ]);
    }),
  );
});
