// AES-256-GCM sealing: round trip, and any change to context, key or byte fails authentication.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secureRandom } from '../core/clock.ts';
import { isCountersignError } from '../core/errors.ts';
import { addPrimaryKey, newKeyRing } from './keyring.ts';
import { open, seal, sealedKeyId } from './secret-box.ts';

const ring = newKeyRing(secureRandom);
const secret = Buffer.from('12345678901234567890');
const keyringError = (error: unknown) => isCountersignError(error, 'KEYRING_MISSING');
const withDetail = (pattern: RegExp) => (error: unknown) =>
  isCountersignError(error, 'KEYRING_MISSING') && pattern.test(error.detail ?? '');

test('seal then open returns the plaintext; the sealed text names its key and hides the secret', () => {
  const sealed = seal(ring, secret, 'authenticator:D1:secret');
  assert.deepEqual(open(ring, sealed, 'authenticator:D1:secret'), secret);
  assert.equal(sealedKeyId(sealed), ring.primaryId);
  assert.match(sealed, /^cs1\.k[0-9a-f]{12}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  for (const encoding of ['hex', 'base64url', 'latin1'] as const)
    assert.equal(sealed.includes(secret.toString(encoding)), false, encoding);
});

test('sealing twice gives different ciphertexts (fresh IV)', () => {
  assert.notEqual(seal(ring, secret, 'c'), seal(ring, secret, 'c'));
});

test('a changed context fails: a sealed value cannot be moved to another row', () => {
  const sealed = seal(ring, secret, 'authenticator:D1:secret');
  assert.throws(() => open(ring, sealed, 'authenticator:D2:secret'), keyringError);
});

test('any changed byte of the IV or body fails', () => {
  const sealed = seal(ring, secret, 'ctx');
  const [prefix, keyId, iv, body] = sealed.split('.') as [string, string, string, string];
  const bodyBytes = Buffer.from(body, 'base64url');
  for (let i = 0; i < bodyBytes.length; i++) {
    const flipped = Buffer.from(bodyBytes);
    flipped[i]! ^= 0x01;
    const tampered = [prefix, keyId, iv, flipped.toString('base64url')].join('.');
    assert.throws(() => open(ring, tampered, 'ctx'), keyringError, `byte ${i}`);
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  ivBytes[0]! ^= 0x80;
  assert.throws(
    () => open(ring, [prefix, keyId, ivBytes.toString('base64url'), body].join('.'), 'ctx'),
    keyringError,
  );
});

test('malformed, truncated or foreign-key values are clear KEYRING_MISSING errors', () => {
  const sealed = seal(ring, secret, 'ctx');
  assert.throws(() => open(ring, 'not sealed', 'ctx'), withDetail(/unknown format/));
  assert.throws(() => open(ring, sealed.replace(/^cs1/, 'cs9'), 'ctx'), withDetail(/unknown format/));
  const [prefix, keyId, iv] = sealed.split('.');
  assert.throws(() => open(ring, [prefix, keyId, iv, 'AAAA'].join('.'), 'ctx'), withDetail(/truncated/));
  assert.throws(() => open(newKeyRing(secureRandom), sealed, 'ctx'), withDetail(/is not in the key ring/));
});

test('after adding a primary key, old values still open and new ones use the new key', () => {
  const old = seal(ring, secret, 'ctx');
  const rotated = addPrimaryKey(ring, secureRandom);
  assert.notEqual(rotated.primaryId, ring.primaryId);
  assert.deepEqual(open(rotated, old, 'ctx'), secret);
  const fresh = seal(rotated, secret, 'ctx');
  assert.equal(sealedKeyId(fresh), rotated.primaryId);
  assert.throws(() => open(ring, fresh, 'ctx'), keyringError);
});
