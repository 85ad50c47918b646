// Client-side Duo request signing (signatures v1, v2, v4 and v5) and the Authorization header (§2.1).
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { canonicalV1, canonicalV2, canonicalV4, canonicalV5 } from './canonical-request.ts';
import { canonicalParams, canonicalParamsWholeSort } from './canonicalize.ts';

/** Thrown when the caller asks to sign something no Duo client could send. */
export class DuoSignError extends Error {
  override name = 'DuoSignError';
}

/** Inputs shared by both signature versions. */
export interface SignInput {
  date: string;
  method: string;
  host: string;
  path: string;
  params: ReadonlyArray<readonly [string, string]>;
  skey: string;
  /** Order of a key's values; Python and Go sort them (default), Node keeps wire order. */
  valueOrder?: 'sorted' | 'wire';
}

/** HMAC of the canonical string's UTF-8 bytes with the skey's bytes, in lowercase hex (§2.1). */
export function hmacHex(algorithm: 'sha1' | 'sha512', skey: string | KeyObject, message: string): string {
  return createHmac(algorithm, skey).update(message, 'utf8').digest('hex');
}

/** hmacHex as raw digest bytes; a KeyObject skey (see skeyObject) saves importing the key on every call. */
export function hmacBytes(algorithm: 'sha1' | 'sha512', skey: string | KeyObject, message: string): Buffer {
  return createHmac(algorithm, skey).update(message, 'utf8').digest();
}

/** The skey's UTF-8 bytes as a KeyObject, the key createHmac derives from the string itself. */
export function skeyObject(skey: string): KeyObject {
  return createSecretKey(Buffer.from(skey, 'utf8'));
}

/**
 * Signs a legacy REST v1 request as duo_unix 1.11.3 does (lib/https.c): HMAC-SHA1 over canonicalV1, the pairs
 * sorted as whole `key=value` strings (`qsort` with `strcmp` in `_argv_to_qs`). For tests and tools: Countersign
 * only verifies these.
 */
export function signV1(input: Omit<SignInput, 'date' | 'valueOrder'>): string {
  return hmacHex('sha1', input.skey, canonicalV1(input, canonicalParamsWholeSort(input.params)));
}

/** Signs a request with signature v2 (§2.4): HMAC-SHA512 in current SDKs, SHA-1 still accepted. */
export function signV2(input: SignInput & { algorithm: 'sha1' | 'sha512' }): string {
  const line = canonicalParams(input.params, input.valueOrder ?? 'sorted');
  return hmacHex(input.algorithm, input.skey, canonicalV2(input, line));
}

/** Signs a request with signature v4 (duo_client_python only), always HMAC-SHA512. Pass `params: []` for JSON. */
export function signV4(input: SignInput & { body: Uint8Array | string }): string {
  const line = canonicalParams(input.params, input.valueOrder ?? 'sorted');
  return hmacHex('sha512', input.skey, canonicalV4(input, line, input.body));
}

/** Signs a request with signature v5 (§2.5), always HMAC-SHA512. Pass `params: []` for JSON bodies. */
export function signV5(
  input: SignInput & { body: Uint8Array | string; xDuoHeaders: Record<string, string> },
): string {
  const headers = checkXDuoHeaders(input.xDuoHeaders);
  const line = canonicalParams(input.params, input.valueOrder ?? 'sorted');
  return hmacHex('sha512', input.skey, canonicalV5(input, line, input.body, headers));
}

/** `Basic base64(ikey:hex)` (§2.1), standard base64 with padding. */
export function authorizationHeader(ikey: string, signatureHex: string): string {
  return `Basic ${Buffer.from(`${ikey}:${signatureHex}`, 'utf8').toString('base64')}`;
}

/** Applies Python duo_client's rules: `X-Duo-` prefix, no duplicate names, no NUL characters. */
function checkXDuoHeaders(headers: Record<string, string>): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-duo-')) throw new DuoSignError(`header '${name}' does not start with X-Duo-`);
    if (seen.has(lower)) {
      throw new DuoSignError(`header '${name}' is given twice (names are case-insensitive)`);
    }
    if (name.includes('\0') || value.includes('\0')) {
      throw new DuoSignError(`header '${name}' contains a NUL character`);
    }
    seen.add(lower);
    out.push([lower, value]);
  }
  return out;
}
