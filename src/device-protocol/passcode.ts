// Offline passcodes in the app: RFC 6238 TOTP computed with WebCrypto (browser and Node alike).

const HASHES = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' } as const;

/** Decodes RFC 4648 base32 (no padding needed, case-insensitive). */
export function decodeBase32Text(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index === -1) throw new Error(`not base32: '${char}'`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** The TOTP code for `nowMs` (RFC 6238 §4, RFC 4226 §5.3 truncation). */
export async function currentPasscode(
  secretBase32: string,
  nowMs: number,
  options: { digits: number; period: number; algorithm: keyof typeof HASHES },
): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    decodeBase32Text(secretBase32),
    { name: 'HMAC', hash: HASHES[options.algorithm] },
    false,
    ['sign'],
  );
  const counter = new DataView(new ArrayBuffer(8));
  counter.setBigUint64(0, BigInt(Math.floor(nowMs / 1000 / options.period)));
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, counter.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** options.digits).padStart(options.digits, '0');
}

/** Seconds left before the code changes. */
export function secondsLeft(nowMs: number, period: number): number {
  return period - (Math.floor(nowMs / 1000) % period);
}
