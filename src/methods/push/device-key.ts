// Device public keys: checked when registered, used to verify every signed answer and API call.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { PublicJwk } from '../../device-protocol/messages.ts';

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** A P-256 public key JWK with nothing else in it, or null when `value` is not one. */
export function parsePublicJwk(value: unknown): PublicJwk | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kty, crv, x, y, d } = value as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'P-256' || d !== undefined) return null;
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y))
    return null;
  try {
    createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch {
    return null; // not a point on the curve
  }
  return { kty, crv, x, y };
}

const keyObjects = new Map<string, KeyObject>();

/** Verifies an ECDSA P-256 SHA-256 signature (IEEE P1363 r||s, base64url) over `text`. */
export function verifyDeviceSignature(publicJwk: PublicJwk, text: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  const cacheKey = `${publicJwk.x}.${publicJwk.y}`;
  let key = keyObjects.get(cacheKey);
  if (!key) {
    key = createPublicKey({ key: { ...publicJwk }, format: 'jwk' });
    if (keyObjects.size > 50_000) keyObjects.clear();
    keyObjects.set(cacheKey, key);
  }
  try {
    return verify(
      'sha256',
      Buffer.from(text),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return false;
  }
}
