// Lists the canonical strings a genuine Duo client could have signed for a request (§2.6 item 4).

import {
  type CanonicalHead,
  canonicalV2,
  canonicalV5FromHashes,
  sha512Hex,
  xDuoHeaderHash,
} from './canonical-request.ts';
import { canonicalEncoded, type EncodedPairs, encodePairs, wholeSortEncoded } from './canonicalize.ts';
import type { SignedRequest } from './signed-request.ts';

/** One way the client may have signed: which version and hash, over which text. */
export interface Candidate {
  version: 2 | 5;
  algorithm: 'sha1' | 'sha512';
  canonical: string;
}

// §2.3 step 1: these methods carry their parameters in the query string.
const QUERY_METHODS = new Set(['GET', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The candidate a genuine client normally signed, which buildCandidates always yields first: v2, the Host header
 * as sent, values in sorted order. Verification tries it alone before building the others.
 */
export function firstCandidate(
  req: SignedRequest,
  date: string,
  algorithm: 'sha1' | 'sha512',
  publicHost: string | undefined,
): Candidate {
  const host = candidateHosts(req.host, publicHost)[0]!;
  const line = canonicalEncoded(encodePairs(v2PairsOf(req)), 'sorted');
  return {
    version: 2,
    algorithm,
    canonical: canonicalV2({ date, method: req.method, host, path: req.path }, line),
  };
}

/** Yields candidates in §2.6 order: v2 then v5 (v5 only for SHA-512), hosts, then value orders. */
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
  const usesQuery = QUERY_METHODS.has(req.method.toUpperCase());
  const v2Encoded = encodePairs(v2PairsOf(req));
  const v2Lines = [...paramLines(v2Encoded), wholeSortEncoded(v2Encoded)];
  for (const head of heads) {
    for (const line of v2Lines) {
      const canonical = canonicalV2(head, line);
      if (isNew(seen, canonical)) yield { version: 2, algorithm, canonical };
    }
  }
  if (algorithm !== 'sha512') return;
  // §2.5: v5 signs "" as the parameter line for JSON bodies; a v5 client sending a form signs its pairs.
  const v5Sets = usesQuery ? [req.queryPairs] : [[], ...(req.bodyPairs?.length ? [req.bodyPairs] : [])];
  const v5Lines = v5Sets.flatMap((pairs) => paramLines(encodePairs(pairs)));
  const bodyHash = sha512Hex(req.rawBody);
  for (const headerBlock of xDuoHeaderBlocks(req.headers)) {
    const headerHash = xDuoHeaderHash(headerBlock);
    for (const head of heads) {
      for (const line of v5Lines) {
        const canonical = canonicalV5FromHashes(head, line, bodyHash, headerHash);
        if (isNew(seen, canonical)) yield { version: 5, algorithm: 'sha512', canonical };
      }
    }
  }
}

/** §2.3 step 1: the pairs v2 signs, from the query string or the form body. */
function v2PairsOf(req: SignedRequest): ReadonlyArray<readonly [string, string]> {
  return QUERY_METHODS.has(req.method.toUpperCase()) ? req.queryPairs : (req.bodyPairs ?? []);
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
function stripPort(host: string): string {
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
