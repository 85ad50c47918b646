// Short-code hashing: salted, peppered with a key-ring key, compared in constant time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secureRandom } from '../core/clock.ts';
import { hashCode, verifyCode } from './code-hash.ts';
import { addPrimaryKey, newKeyRing } from './keyring.ts';

const ring = newKeyRing(secureRandom);

test('a code verifies against its own hash only', () => {
  const stored = hashCode(ring, secureRandom, '123456789');
  assert.equal(verifyCode(ring, stored, '123456789'), true);
  assert.equal(verifyCode(ring, stored, '123456788'), false);
  assert.equal(verifyCode(ring, stored, '12345678'), false);
  assert.equal(verifyCode(ring, stored, ''), false);
});

test('the same code hashes differently each time (salt), and the hash holds no digits of it', () => {
  const a = hashCode(ring, secureRandom, '123456789');
  const b = hashCode(ring, secureRandom, '123456789');
  assert.notEqual(a.salt, b.salt);
  assert.notEqual(a.hash, b.hash);
  assert.equal(a.hash.includes('123456789'), false);
  assert.equal(a.keyId, ring.primaryId);
});

test('the pepper matters: another ring cannot verify, a rotated ring still can', () => {
  const stored = hashCode(ring, secureRandom, '555000111');
  assert.equal(verifyCode(newKeyRing(secureRandom), stored, '555000111'), false);
  assert.equal(verifyCode(addPrimaryKey(ring, secureRandom), stored, '555000111'), true);
});

test('a tampered salt or hash fails', () => {
  const stored = hashCode(ring, secureRandom, '987654321');
  assert.equal(verifyCode(ring, { ...stored, salt: `${stored.salt}x` }, '987654321'), false);
  assert.equal(verifyCode(ring, { ...stored, hash: stored.hash.slice(1) }, '987654321'), false);
});

test('issue 15: a stored hash differing only in its last byte fails (the whole digest is compared)', () => {
  const stored = hashCode(ring, secureRandom, '246813579');
  const digest = Buffer.from(stored.hash, 'base64url');
  digest[digest.length - 1]! ^= 0x01;
  assert.equal(verifyCode(ring, { ...stored, hash: digest.toString('base64url') }, '246813579'), false);
});
