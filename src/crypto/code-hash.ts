// Hashing of short codes (bypass codes): HMAC-SHA256 with a salt and a pepper from the key ring.
// A 9-digit code has only ~30 bits, so a salted fast hash alone would fall to a database dump; the pepper
// lives outside the database with the master key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../core/clock.ts';
import { deriveKeyObject, type KeyRing } from './keyring.ts';

export interface CodeHash {
  keyId: string;
  salt: string;
  hash: string;
}

function digest(ring: KeyRing, keyId: string, salt: string, code: string): Buffer {
  return createHmac('sha256', deriveKeyObject(ring, keyId, 'code-hash'))
    .update(`${salt}\u0000${code}`)
    .digest();
}

/** Hashes a code under the ring's primary key with a fresh salt. */
export function hashCode(ring: KeyRing, random: Random, code: string): CodeHash {
  const salt = random.bytes(16).toString('base64url');
  return {
    keyId: ring.primaryId,
    salt,
    hash: digest(ring, ring.primaryId, salt, code).toString('base64url'),
  };
}

/** Compares a code with a stored hash in constant time; false when its key has left the ring. */
export function verifyCode(ring: KeyRing, stored: CodeHash, code: string): boolean {
  if (!ring.keys.has(stored.keyId)) return false;
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = digest(ring, stored.keyId, stored.salt, code);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
