import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateLdapConfig } from './config.ts';

const minimal = {
  name: 'corp',
  urls: ['ldaps://dc1.example.org', 'ldap://dc2.example.org:389'],
  bindDn: 'cn=svc,dc=example,dc=org',
  bindPassword: 'secret',
  baseDn: 'ou=people,dc=example,dc=org',
  userAttribute: 'sAMAccountName',
};

test('a minimal configuration gets its defaults', () => {
  const result = validateLdapConfig(minimal);
  assert.ok(result.ok);
  assert.deepEqual(result.config, {
    ...minimal,
    userFilter: '(objectClass=*)',
    startTls: false,
    tlsRejectUnauthorized: true,
    connectTimeoutMs: 5000,
    operationTimeoutMs: 10000,
    attributes: {
      name: 'displayName|cn',
      email: 'mail',
      phone: 'telephoneNumber|mobile',
      memberOf: 'memberOf',
    },
  });
});

test('a non-LDAP URL is named in the error', () => {
  const result = validateLdapConfig({ ...minimal, urls: ['http://x'] });
  assert.deepEqual(result, {
    ok: false,
    errors: ["ldap: option 'urls' must be ldap:// or ldaps:// URLs but it's 'http://x'"],
  });
});

test('every problem is reported at once', () => {
  const result = validateLdapConfig({
    name: '',
    urls: [],
    bindDn: 'cn=svc',
    bindPassword: '',
    baseDn: 'dc=x',
    userAttribute: 'uid)(x',
    userFilter: 'objectClass=user',
    connectTimeoutMs: -1,
    attributes: { email: 'mail)', fax: 'x' },
    startTLS: true,
  });
  assert.equal(result.ok, false);
  const errors = result.ok ? [] : result.errors;
  for (const fragment of [
    "unknown option 'startTLS'",
    "option 'name' must be a non-empty string but it's ''",
    "option 'urls' must be a non-empty list of URLs",
    "option 'bindPassword' must be a non-empty string",
    "option 'userAttribute' must be an attribute name but it's 'uid)(x'",
    "option 'userFilter' must be an RFC 4515 filter in parentheses but it's 'objectClass=user'",
    "option 'connectTimeoutMs' must be a whole number of milliseconds from 1 to 600000 but it's -1",
    "option 'attributes.email' must be attribute names joined by '|' but it's 'mail)'",
    "unknown option 'attributes.fax'",
  ]) {
    assert.ok(
      errors.some((e) => e.includes(fragment)),
      `missing "${fragment}" in ${JSON.stringify(errors)}`,
    );
  }
  assert.equal(errors.length, 9);
});

test('StartTLS over ldaps:// is refused', () => {
  const result = validateLdapConfig({ ...minimal, startTls: true });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : (result.errors[0] ?? ''), /option 'startTls' must be false with ldaps:\/\//);
});

test('a CA that is not PEM is refused; a PEM one is kept', () => {
  assert.equal(validateLdapConfig({ ...minimal, tlsCaPem: 'MIIB...' }).ok, false);
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const result = validateLdapConfig({ ...minimal, tlsCaPem: pem, groupBaseDn: 'ou=groups,dc=x' });
  assert.ok(result.ok);
  assert.equal(result.config.tlsCaPem, pem);
  assert.equal(result.config.groupBaseDn, 'ou=groups,dc=x');
});

test('non-table input is refused with a message', () => {
  assert.deepEqual(validateLdapConfig('ldap://x'), {
    ok: false,
    errors: ["ldap: settings must be a table of options but it's 'ldap://x'"],
  });
});
