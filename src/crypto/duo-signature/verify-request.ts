// Verifies a Duo-signed request (v2 SHA-1/SHA-512, v4 and v5) in the order of wire reference §2.6.
import { type KeyObject, timingSafeEqual } from 'node:crypto';
import { buildCandidates, type Candidate, firstCandidate, hasUnsignedQuery } from './build-candidates.ts';
import { parseAuthorization } from './parse-authorization.ts';
import { parseDuoDate } from './parse-date.ts';
import { hmacBytes } from './sign.ts';
import type { SignedRequest } from './signed-request.ts';
import { type VerifyFailure, verifyFailure } from './verify-failures.ts';

export type { SignedRequest } from './signed-request.ts';
export type { VerifyFailure } from './verify-failures.ts';

/**
 * An accepted request: whose key signed it, how, and the parameters that signature covers. A front reads its
 * parameters from `params` only, so what was signed and what is used cannot differ.
 */
export type VerifySuccess = {
  ok: true;
  ikey: string;
  version: 2 | 4 | 5;
  algorithm: 'sha1' | 'sha512';
  /** The signed (key, value) pairs in wire order: the query, the form body or the JSON body. */
  params: ReadonlyArray<readonly [string, string]>;
};

/** What verification needs from the outside world. */
export interface VerifyDeps {
  /**
   * The skey of an integration allowed on this API (as text, or its UTF-8 bytes as a KeyObject: see
   * skeyObject), or null for an unknown ikey (→ 40102).
   */
  lookupSecret: (ikey: string) => Promise<string | KeyObject | null>;
  nowMs: number;
  /** Allowed clock difference either way; default 300 000 ms (Duo's mockduo). */
  skewMs?: number;
  /** Configured public hostname, tried as a signed host as well (§1 item 6). */
  publicHost?: string;
}

const DEFAULT_SKEW_MS = 300_000;

/** Checks credentials, timestamp and signature; a rejected lookupSecret promise is passed on. */
export async function verifyDuoRequest(
  req: SignedRequest,
  deps: VerifyDeps,
): Promise<VerifySuccess | VerifyFailure> {
  const credentials = parseAuthorization(req.headers.authorization);
  if (credentials === null) return verifyFailure(40101);
  const skey = await deps.lookupSecret(credentials.ikey);
  if (skey === null) return verifyFailure(40102);
  // §1 item 5: X-Duo-Date wins over Date (C# and duo_unix send only X-Duo-Date).
  const date = nonEmpty(req.headers['x-duo-date']) ?? nonEmpty(req.headers.date);
  if (date === undefined) return verifyFailure(40104);
  const dateMs = parseDuoDate(date);
  if (dateMs === null) return verifyFailure(40105, 'the date header is not an RFC 1123 date');
  if (Math.abs(deps.nowMs - dateMs) > (deps.skewMs ?? DEFAULT_SKEW_MS)) {
    return verifyFailure(40105, 'the date header is too far from the server time');
  }
  if (hasUnsignedQuery(req)) {
    return verifyFailure(40103, 'no signature covers the query string of a POST, PUT or PATCH');
  }
  const expected = Buffer.from(credentials.signature, 'hex');
  const algorithm = expected.length === 20 ? 'sha1' : 'sha512';
  const signedBy = (candidate: Candidate) => {
    const actual = hmacBytes(candidate.algorithm, skey, candidate.canonical);
    // §2.1: constant-time comparison; both are digests of the same algorithm, so equal length.
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const { ikey } = credentials;
  const success = ({ version, algorithm, params }: Candidate): VerifySuccess => ({
    ok: true,
    ikey,
    version,
    algorithm,
    params,
  });
  // The usual case first, without building every other candidate (buildCandidates yields it first too).
  const first = firstCandidate(req, date, algorithm, deps.publicHost);
  if (first !== null && signedBy(first)) return success(first);
  for (const candidate of buildCandidates(req, date, algorithm, deps.publicHost)) {
    if (candidate.canonical !== first?.canonical && signedBy(candidate)) return success(candidate);
  }
  return verifyFailure(40103);
}

/** A header value, or undefined when missing or blank. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
