// Lists the canonical strings a genuine Duo client could have signed for a request (§2.6 item 4), each with
// the parameters it covers: a request may use only the parameters of the candidate its signature matched.

import {
  type CanonicalHead,
  canonicalV2,
  canonicalV4FromHash,
  canonicalV5FromHashes,
  sha512Hex,
  xDuoHeaderHash,
} from './canonical-request.ts';
import { canonicalEncoded, type EncodedPairs, encodePairs, wholeSortEncoded } from './canonicalize.ts';
import type { SignedRequest } from './signed-request.ts';

type Pairs = ReadonlyArray<readonly [string, string]>;

/** One way the client may have signed: which version and hash, over which text, covering which parameters. */
export interface Candidate {
  version: 2 | 4 | 5;
  algorithm: 'sha1' | 'sha512';
  canonical: string;
  /** The parameters this text signs, in its parameter line or through the body hash; wire order. */
  params: Pairs;
}

// §2.3 step 1: these methods carry their parameters in the query string.
const QUERY_METHODS = new Set(['GET', 'DELETE', 'HEAD', 'OPTIONS']);

function usesQuery(req: SignedRequest): boolean {
  return QUERY_METHODS.has(req.method.toUpperCase());
}

/**
 * True when a POST, PUT or PATCH carries query parameters. Every Duo client puts a body method's parameters
 * in its body and signs only those (§2.3 step 1), so no signature version can cover such a query.
 */
export function hasUnsignedQuery(req: SignedRequest): boolean {
  return !usesQuery(req) && req.queryPairs.length > 0;
}

/**
 * §2.3 step 1 and §2.4: what a v2 signature covers, or null when it cannot cover this request. v2 signs the
 * query of GET/DELETE (so such a request must have no body) and the form body of the other methods; it never
 * signs a JSON body or a body method's query. Legacy REST v1 signatures cover the same.
 */
export function v2Params(req: SignedRequest): Pairs | null {
  if (usesQuery(req)) return req.rawBody.length === 0 ? req.queryPairs : null;
  if (hasUnsignedQuery(req)) return null;
  if (req.rawBody.length === 0) return [];
  return req.body?.type === 'form' ? req.body.pairs : null;
}

/**
 * §2.5: the parameter lines a v5 (or v4) signature may carry, each with the parameters it covers. GET/DELETE
 * read only the query, whatever body the hash covers. A JSON body is signed through the body hash with an empty
 * line. Content-Type is not signed, so the hash vouches for the bytes only read as JSON: a form body's pairs
 * must be in the line themselves (no official client sends v5 forms), or a JSON body relabelled as a form
 * could smuggle `&username=…` out of a string value.
 */
function hashedLines(req: SignedRequest): Array<{ line: Pairs; params: Pairs }> {
  if (usesQuery(req)) return [{ line: req.queryPairs, params: req.queryPairs }];
  if (hasUnsignedQuery(req)) return [];
  if (req.rawBody.length === 0) return [{ line: [], params: [] }];
  if (req.body === null) return [];
  return [{ line: req.body.type === 'json' ? [] : req.body.pairs, params: req.body.pairs }];
}

/**
 * The candidate a genuine client normally signed, which buildCandidates then yields first: v2, the Host
 * header as sent, values in sorted order. Null when v2 cannot cover this request. Verification tries it alone
 * before building the others.
 */
export function firstCandidate(
  req: SignedRequest,
  date: string,
  algorithm: 'sha1' | 'sha512',
  publicHost: string | undefined,
): Candidate | null {
  const params = v2Params(req);
  if (params === null) return null;
  const host = candidateHosts(req.host, publicHost)[0]!;
  const line = canonicalEncoded(encodePairs(params), 'sorted');
  return {
    version: 2,
    algorithm,
    canonical: canonicalV2({ date, method: req.method, host, path: req.path }, line),
    params,
  };
}

/**
 * Yields candidates in §2.6 order: v2, then v5 and v4 (SHA-512 only), hosts, then value orders. Version 1
 * (duo_client_python `sig_version=1`) is never tried: it does not sign the date, so a captured request could be
 * replayed forever with a fresh Date header.
 */
export function* buildCandidates(
  req: SignedRequest,
  date: string,
  algorithm: 'sha1' | 'sha512',
  publicHost: string | undefined,
): Generator<Candidate> {
  const seen = new Set<string>();
  const heads = candidateHosts(req.host, publicHost).map(
    (host): CanonicalHead => ({ date, method: req.method, host, path: req.path }),
  );
  const v2 = v2Params(req);
  if (v2 !== null) {
    const encoded = encodePairs(v2);
    const lines = [...paramLines(encoded), wholeSortEncoded(encoded)];
    for (const head of heads) {
      for (const line of lines) {
        const canonical = canonicalV2(head, line);
        if (isNew(seen, canonical)) yield { version: 2, algorithm, canonical, params: v2 };
      }
    }
  }
  if (algorithm !== 'sha512') return;
  const hashed = hashedLines(req).flatMap(({ line, params }) =>
    paramLines(encodePairs(line)).map((text) => ({ text, params })),
  );
  if (hashed.length === 0) return;
  const bodyHash = sha512Hex(req.rawBody);
  for (const headerBlock of xDuoHeaderBlocks(req.headers)) {
    const headerHash = xDuoHeaderHash(headerBlock);
    for (const head of heads) {
      for (const { text, params } of hashed) {
        const canonical = canonicalV5FromHashes(head, text, bodyHash, headerHash);
        if (isNew(seen, canonical)) yield { version: 5, algorithm: 'sha512', canonical, params };
      }
    }
  }
  // v4 has no header-block line: duo_client_python sends no X-Duo headers with it.
  for (const head of heads) {
    for (const { text, params } of hashed) {
      const canonical = canonicalV4FromHash(head, text, bodyHash);
      if (isNew(seen, canonical)) yield { version: 4, algorithm: 'sha512', canonical, params };
    }
  }
}

/** Records a canonical string; false when it was already tried. */
function isNew(seen: Set<string>, canonical: string): boolean {
  if (seen.has(canonical)) return false;
  seen.add(canonical);
  return true;
}

/** §1 item 4: the sorted value order first, then the wire order. */
function paramLines(encoded: EncodedPairs): string[] {
  const sorted = canonicalEncoded(encoded, 'sorted');
  const wire = canonicalEncoded(encoded, 'wire');
  return sorted === wire ? [sorted] : [sorted, wire];
}

/** §1 item 6: the Host header as sent, without its port, and the configured public hostname. */
export function candidateHosts(host: string, publicHost: string | undefined): string[] {
  const hosts = [host, stripPort(host), ...(publicHost === undefined ? [] : [publicHost])];
  return [...new Set(hosts.map((h) => h.toLowerCase()))];
}

/** Removes a trailing `:port`, leaving bracketed IPv6 literals and bare IPv6 addresses intact. */
export function stripPort(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*):\d*$/.exec(host);
  return m?.[1] ?? host;
}

/**
 * §2.5: every `x-duo-*` header. Whether Duo leaves X-Duo-Date out of the block is unconfirmed,
 * so when it is present the block without it is tried as well.
 */
function xDuoHeaderBlocks(headers: SignedRequest['headers']): Array<Array<[string, string]>> {
  const all: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name.toLowerCase().startsWith('x-duo-')) all.push([name.toLowerCase(), value]);
  }
  const withoutDate = all.filter(([name]) => name !== 'x-duo-date');
  return withoutDate.length === all.length ? [all] : [all, withoutDate];
}
