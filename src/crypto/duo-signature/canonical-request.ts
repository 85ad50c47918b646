// Canonical strings for Duo signatures v1 (legacy REST v1), v2 (§2.4), v4 and v5 (§2.5), from parameter lines.
import { createHash } from 'node:crypto';

/** The request attributes both signature versions start with. */
export interface CanonicalHead {
  date: string;
  method: string;
  host: string;
  path: string;
}

/** Hex SHA-512 of bytes or of a string's UTF-8 bytes. */
export function sha512Hex(data: Uint8Array | string): string {
  return createHash('sha512').update(data).digest('hex');
}

/**
 * Legacy REST v1 (duo_unix 1.x, lib/https.c `https_send`): `"%s\n%s\n%s\n%s"` of the method, the configured host
 * without its port and **not** lowercased, the path and the parameter line. No date: nothing in it expires.
 */
export function canonicalV1(head: Omit<CanonicalHead, 'date'>, paramLine: string): string {
  return [head.method, head.host, head.path, paramLine].join('\n');
}

/** §2.4: date, METHOD, host lowercased, path as sent, parameter line; joined by `\n`. */
export function canonicalV2(head: CanonicalHead, paramLine: string): string {
  return [head.date, head.method.toUpperCase(), head.host.toLowerCase(), head.path, paramLine].join('\n');
}

/**
 * Signature v4, sent only by duo_client_python (`sig_version=4`, always HMAC-SHA512): the v2 lines plus the
 * body hash, without v5's header-block line. duo_client/client.py `canonicalize()`, branch `sig_version == 4`:
 * `[date, method.upper(), host.lower(), uri, canon_params(params), sha512(body).hexdigest()]` joined by `\n`.
 */
export function canonicalV4(head: CanonicalHead, paramLine: string, body: Uint8Array | string): string {
  return canonicalV4FromHash(head, paramLine, sha512Hex(body));
}

/** canonicalV4 with the body hash already computed (the verifier reuses it). */
export function canonicalV4FromHash(head: CanonicalHead, paramLine: string, bodyHash: string): string {
  return [canonicalV2(head, paramLine), bodyHash].join('\n');
}

/** §2.5: the v2 lines plus the body hash and the X-Duo header block hash. */
export function canonicalV5(
  head: CanonicalHead,
  paramLine: string,
  body: Uint8Array | string,
  xDuoHeaders: ReadonlyArray<readonly [string, string]>,
): string {
  return canonicalV5FromHashes(head, paramLine, sha512Hex(body), xDuoHeaderHash(xDuoHeaders));
}

/** §2.5 with the body and header-block hashes already computed (the verifier reuses them). */
export function canonicalV5FromHashes(
  head: CanonicalHead,
  paramLine: string,
  bodyHash: string,
  headerHash: string,
): string {
  return [canonicalV2(head, paramLine), bodyHash, headerHash].join('\n');
}

/**
 * §2.5 X-Duo header block: names lowercased and sorted, then `[n1, v1, n2, v2, …]` joined by NUL
 * and hashed with SHA-512. No headers gives SHA-512 of "".
 */
export function xDuoHeaderHash(headers: ReadonlyArray<readonly [string, string]>): string {
  const sorted = headers
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha512Hex(sorted.flat().join('\0'));
}
