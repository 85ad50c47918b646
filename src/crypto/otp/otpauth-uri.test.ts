// Tests for otpauth:// provisioning URIs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase32 } from '../base32.ts';
import { buildOtpauthUri } from './otpauth-uri.ts';

const SECRET = new TextEncoder().encode('12345678901234567890');

test('builds a TOTP URI with period and unpadded base32 secret', () => {
  const uri = buildOtpauthUri({
    type: 'totp',
    issuer: 'ACME Co',
    account: 'jane@example.com',
    secret: SECRET,
    algorithm: 'sha256',
    digits: 8,
    period: 60,
  });
  assert.equal(
    uri,
    'otpauth://totp/ACME%20Co:jane%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
      '&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60',
  );
});

test('builds a HOTP URI with counter and no period', () => {
  const uri = buildOtpauthUri({
    type: 'hotp',
    issuer: 'Ex:ample',
    account: 'a&b=c?',
    secret: Uint8Array.of(1, 2, 3),
    algorithm: 'sha1',
    digits: 6,
    counter: 42n,
  });
  const url = new URL(uri);
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.host, 'hotp');
  // The issuer's own colon is escaped so only the separator remains literal.
  assert.equal(decodeURIComponent(url.pathname.slice(1).split(':')[0]!), 'Ex:ample');
  assert.equal(decodeURIComponent(url.pathname.slice(1).split(':')[1]!), 'a&b=c?');
  assert.deepEqual(decodeBase32(url.searchParams.get('secret')!), Uint8Array.of(1, 2, 3));
  assert.equal(url.searchParams.get('secret')!.includes('='), false);
  assert.equal(url.searchParams.get('issuer'), 'Ex:ample');
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('counter'), '42');
  assert.equal(url.searchParams.has('period'), false);
});

test('defaults period to 30 and counter to 0', () => {
  const base = { issuer: 'I', account: 'a', secret: SECRET, algorithm: 'sha1', digits: 6 } as const;
  assert.match(buildOtpauthUri({ type: 'totp', ...base }), /&period=30$/);
  assert.match(buildOtpauthUri({ type: 'hotp', ...base }), /&counter=0$/);
});
