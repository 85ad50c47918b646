// RFC 6030 §6.1 pre-shared-key protection: AES-CBC decryption (IV prefixed) and the HMAC ValueMAC check.
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { Checked } from './token-rules.ts';

// XML Encryption block-cipher URIs allowed by RFC 6030 §6.1, keyed to node's cipher and key size.
const CIPHERS: Record<string, { name: string; keyBytes: number }> = {
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc': { name: 'aes-128-cbc', keyBytes: 16 },
  'http://www.w3.org/2001/04/xmlenc#aes192-cbc': { name: 'aes-192-cbc', keyBytes: 24 },
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc': { name: 'aes-256-cbc', keyBytes: 32 },
};

// MACMethod algorithm URIs (RFC 6030 §6.1.1 uses hmac-sha1; RFC 4051 names the SHA-2 variants).
const MACS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#hmac-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha512': 'sha512',
};

/** Maps a MACMethod Algorithm URI to a node hash name. */
export function macHashFor(uri: string | undefined): Checked<string> {
  const hash = uri === undefined ? undefined : MACS[uri];
  if (hash === undefined) {
    return { ok: false, message: `unsupported MAC algorithm ${JSON.stringify(uri ?? '')}; use hmac-sha1` };
  }
  return { ok: true, value: hash };
}

/** Decrypts a CipherValue whose first 16 bytes are the CBC IV (XML Encryption §5.2, RFC 6030 §6.1). */
export function decryptCipherValue(
  algorithm: string | undefined,
  key: Uint8Array,
  data: Uint8Array,
): Checked<Uint8Array> {
  const cipher = algorithm === undefined ? undefined : CIPHERS[algorithm];
  if (cipher === undefined) {
    return {
      ok: false,
      message: `unsupported encryption algorithm ${JSON.stringify(algorithm ?? '')}; use aes128-cbc`,
    };
  }
  if (key.length !== cipher.keyBytes) {
    return {
      ok: false,
      message: `the pre-shared key is ${key.length} bytes but ${cipher.name} needs ${cipher.keyBytes}`,
    };
  }
  if (data.length < 32 || data.length % 16 !== 0) {
    return { ok: false, message: 'CipherValue must be a 16-byte IV followed by whole 16-byte blocks' };
  }
  try {
    const decipher = createDecipheriv(cipher.name, key, data.subarray(0, 16));
    const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
    return { ok: true, value: Uint8Array.from(plain) };
  } catch {
    return { ok: false, message: 'could not decrypt the value: wrong pre-shared key or corrupted data' };
  }
}

/** RFC 6030 §6.1.1: checks ValueMAC = HMAC(macKey, IV || ciphertext) in constant time. */
export function valueMacMatches(
  hash: string,
  macKey: Uint8Array,
  cipherValue: Uint8Array,
  mac: Uint8Array,
): boolean {
  const expected = createHmac(hash, macKey).update(cipherValue).digest();
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}

/** Strict base64 decoding (whitespace allowed): rejects characters outside the alphabet. */
export function decodeBase64(text: string): Checked<Uint8Array> {
  const compact = text.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    return { ok: false, message: 'value is not valid base64' };
  }
  return { ok: true, value: Uint8Array.from(Buffer.from(compact, 'base64')) };
}
