// Decodes a textual token secret: hex or RFC 4648 base32, with optional `hex:` / `base32:` prefixes.
import { Base32Error, decodeBase32 } from '../../crypto/base32.ts';
import type { Checked } from './token-rules.ts';

const HEX = /^[0-9a-fA-F]*$/;

function decodeHex(text: string): Checked<Uint8Array> {
  if (!HEX.test(text)) return { ok: false, message: 'hex secret may only contain 0-9 and a-f' };
  if (text.length % 2 !== 0) return { ok: false, message: 'hex secret must have an even number of digits' };
  return { ok: true, value: Uint8Array.from(Buffer.from(text, 'hex')) };
}

function decodeBase32Text(text: string): Checked<Uint8Array> {
  try {
    return { ok: true, value: decodeBase32(text) };
  } catch (err) {
    if (err instanceof Base32Error)
      return { ok: false, message: `secret is not valid hex or base32: ${err.message}` };
    throw err;
  }
}

/**
 * Decodes a secret. `hex:` and `base32:` prefixes force the encoding; without one, text made only of
 * hex digits with an even length is hex, anything else base32. A base32 secret that happens to look like
 * hex (e.g. "ABCD2345") must therefore be written with the `base32:` prefix.
 */
export function decodeSecretText(raw: string): Checked<Uint8Array> {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (lower.startsWith('hex:')) return decodeHex(text.slice(4).trim());
  if (lower.startsWith('base32:')) return decodeBase32Text(text.slice(7).trim());
  if (text === '') return { ok: false, message: 'secret is empty' };
  if (HEX.test(text) && text.length % 2 === 0) return decodeHex(text);
  return decodeBase32Text(text);
}
