// PAP User-Password hiding and recovery (RFC 2865 §5.2): MD5 keystream chained over 16-byte blocks.
import { createHash } from 'node:crypto';

/** RFC 2865 §5.2: "the password ... MUST be at most 128 octets". */
export const MAX_PASSWORD_LENGTH = 128;
const BLOCK = 16;

export type UnhideResult = { ok: true; password: Buffer } | { ok: false; reason: string };

/** Thrown when a password cannot be hidden (too long). */
export class RadiusPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RadiusPasswordError';
  }
}

/**
 * Hides a password for the User-Password attribute: pad with NULs to a multiple of 16, then
 * c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)).
 */
export function hidePassword(
  password: string | Uint8Array,
  secret: string,
  requestAuthenticator: Uint8Array,
): Buffer {
  const plain = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
  if (plain.length > MAX_PASSWORD_LENGTH) {
    throw new RadiusPasswordError(`password is ${plain.length} bytes; RFC 2865 allows at most 128`);
  }
  const padded = Buffer.alloc(Math.max(BLOCK, Math.ceil(plain.length / BLOCK) * BLOCK));
  plain.copy(padded);
  const hidden = Buffer.alloc(padded.length);
  let previous: Uint8Array = requestAuthenticator;
  for (let offset = 0; offset < padded.length; offset += BLOCK) {
    const key = md5(secret, previous);
    for (let i = 0; i < BLOCK; i++) hidden[offset + i] = padded[offset + i]! ^ key[i]!;
    previous = hidden.subarray(offset, offset + BLOCK);
  }
  return hidden;
}

/** Recovers a password from a User-Password value; trailing NUL padding is stripped. Never throws. */
export function unhidePassword(
  hidden: Uint8Array,
  secret: string,
  requestAuthenticator: Uint8Array,
): UnhideResult {
  if (hidden.length < BLOCK || hidden.length > MAX_PASSWORD_LENGTH || hidden.length % BLOCK !== 0) {
    return {
      ok: false,
      reason: `User-Password is ${hidden.length} bytes; it must be a multiple of 16 between 16 and 128`,
    };
  }
  const plain = Buffer.alloc(hidden.length);
  let previous: Uint8Array = requestAuthenticator;
  for (let offset = 0; offset < hidden.length; offset += BLOCK) {
    const key = md5(secret, previous);
    for (let i = 0; i < BLOCK; i++) plain[offset + i] = hidden[offset + i]! ^ key[i]!;
    previous = hidden.subarray(offset, offset + BLOCK);
  }
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return { ok: true, password: plain.subarray(0, end) };
}

function md5(secret: string, block: Uint8Array): Buffer {
  return createHash('md5').update(secret, 'utf8').update(block).digest();
}
