// HOTP code generation (RFC 4226).
import { createHmac, type KeyObject } from 'node:crypto';
import type { HotpOptions } from './types.ts';

export type { HotpOptions, OtpAlgorithm, OtpDigits } from './types.ts';

/** Largest HOTP counter: RFC 4226 §5.2 uses an 8-byte counter. */
export const MAX_HOTP_COUNTER = (1n << 64n) - 1n;

/**
 * Computes the HOTP value for `counter` (RFC 4226 §5.3), zero-padded to `opts.digits`. Pass the secret as a
 * KeyObject when computing many values with it: createHmac imports raw key bytes again on every call.
 */
export function generateHotp(secret: Uint8Array | KeyObject, counter: bigint, opts: HotpOptions): string {
  if (counter < 0n || counter > MAX_HOTP_COUNTER) {
    throw new RangeError(`HOTP counter must be an unsigned 64-bit integer, got ${counter}`);
  }
  // RFC 4226 §5.1: the counter is an 8-byte big-endian moving factor.
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const hmac = createHmac(opts.algorithm, secret).update(message).digest();
  // RFC 4226 §5.3: dynamic truncation — the low 4 bits of the last byte pick the offset.
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  const code = binary % 10 ** opts.digits;
  return code.toString().padStart(opts.digits, '0');
}
