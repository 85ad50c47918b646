// Field validation rules shared by the token importers; each check returns a value or a message.
import type { ImportedToken, ImportRowError } from './imported-token.ts';

/** Outcome of checking one field. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

export const MIN_SECRET_BYTES = 10;
export const MAX_SECRET_BYTES = 64;
const MAX_COUNTER = (1n << 64n) - 1n;
// Printable: no control/format/unassigned characters and no separators other than the plain space.
const PRINTABLE = /^(?:[^\p{C}\p{Z}]| )+$/u;

/** Records a failed check in `errors` and returns undefined, or returns the checked value. */
export function collect<T>(
  errors: ImportRowError[],
  line: number,
  field: string,
  checked: Checked<T>,
): T | undefined {
  if (checked.ok) return checked.value;
  errors.push({ line, field, message: checked.message });
  return undefined;
}

/** Serial: trimmed, 1..64 printable characters. */
export function checkSerial(raw: string): Checked<string> {
  const serial = raw.trim();
  if (serial === '') return fail('serial is empty');
  const length = [...serial].length;
  if (length > 64) return fail(`serial is ${length} characters long; at most 64 are allowed`);
  if (!PRINTABLE.test(serial)) return fail('serial contains control or non-printable characters');
  return ok(serial);
}

/** Secret length: 10..64 bytes (RFC 4226 §4 asks for at least 128 bits; 160 recommended). */
export function checkSecretLength(secret: Uint8Array): Checked<Uint8Array> {
  if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
    return fail(
      `secret is ${secret.length} bytes; it must be ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`,
    );
  }
  return ok(secret);
}

/** Token type: `hotp` or `totp`, case-insensitive. */
export function checkKind(raw: string): Checked<ImportedToken['kind']> {
  const kind = raw.trim().toLowerCase();
  if (kind === 'hotp' || kind === 'totp') return ok(kind);
  return fail(`type must be "hotp" or "totp", got ${JSON.stringify(raw)}`);
}

/** Digits: 6 or 8; empty means 6. */
export function checkDigits(raw: string): Checked<6 | 8> {
  const text = raw.trim();
  if (text === '' || text === '6') return ok(6);
  if (text === '8') return ok(8);
  return fail(`digits must be 6 or 8, got ${JSON.stringify(raw)}`);
}

/** Hash algorithm: sha1, sha256 or sha512 (case-insensitive, `sha-256` style accepted); empty means sha1. */
export function checkAlgorithm(raw: string): Checked<ImportedToken['algorithm']> {
  const text = raw.trim().toLowerCase().replace('-', '');
  if (text === '' || text === 'sha1') return ok('sha1');
  if (text === 'sha256' || text === 'sha512') return ok(text);
  return fail(`algorithm must be sha1, sha256 or sha512, got ${JSON.stringify(raw)}`);
}

/** HOTP counter: a non-negative decimal integer below 2^64; empty means 0. */
export function checkCounter(raw: string): Checked<bigint> {
  const text = raw.trim();
  if (text === '') return ok(0n);
  if (!/^\d+$/.test(text)) return fail(`counter must be a non-negative integer, got ${JSON.stringify(raw)}`);
  const value = BigInt(text);
  if (value > MAX_COUNTER) return fail('counter is larger than 2^64 - 1');
  return ok(value);
}

/** TOTP time step in seconds: an integer 1..300; empty means 30. */
export function checkPeriod(raw: string): Checked<number> {
  const text = raw.trim();
  if (text === '') return ok(30);
  const value = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= 300)) {
    return fail(`step must be a whole number of seconds from 1 to 300, got ${JSON.stringify(raw)}`);
  }
  return ok(value);
}

/** Tracks serials already seen so a repeat is reported on its second occurrence. */
export function createSerialTracker(): (serial: string, line: number) => Checked<string> {
  const firstSeen = new Map<string, number>();
  return (serial, line) => {
    const first = firstSeen.get(serial);
    if (first !== undefined)
      return fail(`duplicate serial ${JSON.stringify(serial)} (first used on line ${first})`);
    firstSeen.set(serial, line);
    return ok(serial);
  };
}
