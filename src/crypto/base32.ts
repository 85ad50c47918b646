// RFC 4648 §6 base32 encoding and decoding for OTP shared secrets.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Thrown when a base32 string contains a character outside the RFC 4648 alphabet. */
export class Base32Error extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'Base32Error';
    this.position = position;
  }
}

/** Encodes bytes as RFC 4648 base32; padding with `=` unless `pad` is false. */
export function encodeBase32(bytes: Uint8Array, opts: { pad?: boolean } = {}): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  // RFC 4648 §6: output is padded to a multiple of 8 characters.
  if (opts.pad !== false) while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * Decodes RFC 4648 base32: case-insensitive, spaces and `=` padding ignored.
 * Throws Base32Error naming the first character that is not in the alphabet.
 */
export function decodeBase32(text: string): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '=') continue;
    const value = ALPHABET.indexOf(ch.toUpperCase());
    if (value < 0) {
      throw new Base32Error(
        `invalid base32 character ${JSON.stringify(ch)} at position ${i + 1} (allowed: A-Z, 2-7)`,
        i + 1,
      );
    }
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // Leftover bits (< 8) are padding bits of the final quantum and carry no data.
  return Uint8Array.from(out);
}
