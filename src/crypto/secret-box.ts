// AES-256-GCM sealing of secrets at rest, bound to where they are stored so a sealed value cannot be moved.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CountersignError } from '../core/errors.ts';
import { deriveKeyObject, type KeyRing } from './keyring.ts';

const PREFIX = 'cs1';

/** Seals `plaintext` under the ring's primary key; `context` (e.g. `authenticator:<id>`) is authenticated data. */
export function seal(ring: KeyRing, plaintext: Uint8Array, context: string): string {
  const key = deriveKeyObject(ring, ring.primaryId, 'seal');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [PREFIX, ring.primaryId, iv.toString('base64url'), body.toString('base64url')].join('.');
}

/** Opens a sealed value; a wrong key, context or any altered byte is a KEYRING_MISSING error. */
export function open(ring: KeyRing, sealed: string, context: string): Buffer {
  const [prefix, keyId, ivText, bodyText] = sealed.split('.');
  if (prefix !== PREFIX || !keyId || !ivText || !bodyText) {
    throw new CountersignError('KEYRING_MISSING', 'sealed value has an unknown format');
  }
  const key = deriveKeyObject(ring, keyId, 'seal');
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new CountersignError('KEYRING_MISSING', 'sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new CountersignError('KEYRING_MISSING', `sealed value for ${context} failed authentication`);
  }
}

/** The id of the key that sealed a value (rotation re-seals values not under the primary key). */
export function sealedKeyId(sealed: string): string | undefined {
  return sealed.split('.')[1];
}
