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

/** One DER INTEGER from a 32-byte unsigned big-endian value: no leading zero bytes, but one before a high bit. */
function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  const pad = digits[0]! >= 0x80 ? 1 : 0;
  const out = Buffer.alloc(2 + pad + digits.length);
  out[0] = 0x02;
  out[1] = pad + digits.length;
  digits.copy(out, 2 + pad);
  return out;
}

/**
 * An IEEE P1363 signature (r || s, 32 bytes each) as the DER ECDSA-Sig-Value OpenSSL reads natively: verifying a
 * DER signature with the bare KeyObject takes ~65 µs here, the same with `dsaEncoding: 'ieee-p1363'` ~90 µs, and
 * every approval verifies two (its API call and its answer).
 */
export function p1363ToDer(signature: Buffer): Buffer {
  const r = derInteger(signature.subarray(0, 32));
  const s = derInteger(signature.subarray(32, 64));
  // At most 2 × 35 bytes of content: the SEQUENCE length always fits one byte.
  return Buffer.concat([Buffer.from([0x30, r.length + s.length]), r, s]);
}

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
    return verify('sha256', Buffer.from(text), key, p1363ToDer(Buffer.from(signature, 'base64url')));
  } catch {
    return false;
  }
}
