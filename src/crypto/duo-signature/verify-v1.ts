// Verifies a legacy REST v1 request (duo_unix 1.x): HMAC-SHA1 over method, host, path and parameters, no date.
import { type KeyObject, timingSafeEqual } from 'node:crypto';
import { candidateHosts, stripPort, v2Params } from './build-candidates.ts';
import { canonicalV1 } from './canonical-request.ts';
import { encodePairs, wholeSortEncoded } from './canonicalize.ts';
import { parseAuthorization } from './parse-authorization.ts';
import { hmacBytes } from './sign.ts';
import type { SignedRequest } from './signed-request.ts';
import { type VerifyFailure, verifyFailure } from './verify-failures.ts';

/** An accepted REST v1 request: whose key signed it, and the parameters the signature covers (wire order). */
export interface V1Success {
  ok: true;
  ikey: string;
  params: ReadonlyArray<readonly [string, string]>;
}

export interface V1Deps {
  /** The skey of an integration allowed on REST v1's paths, or null for an unknown ikey (→ 40102). */
  lookupSecret: (ikey: string) => Promise<string | KeyObject | null>;
  /** Configured public hostname, tried as the signed host as well. */
  publicHost?: string;
}

/** The REST v1 signature length: 40 hex digits of HMAC-SHA1 (duo_unix 1.x signs nothing else). */
const SHA1_HEX = 40;

/**
 * Checks credentials and signature; there is no timestamp to check, so a captured request stays valid for ever
 * (the reason REST v1 is off unless an application switches it on). The signed host is the configured one
 * without its port, as duo_unix sends it in `Host` and does not lowercase it: it is tried as sent first.
 */
export async function verifyV1Request(req: SignedRequest, deps: V1Deps): Promise<V1Success | VerifyFailure> {
  const credentials = parseAuthorization(req.headers.authorization);
  if (credentials === null) return verifyFailure(40101);
  const skey = await deps.lookupSecret(credentials.ikey);
  if (skey === null) return verifyFailure(40102);
  if (credentials.signature.length !== SHA1_HEX) {
    return verifyFailure(40103, 'a REST v1 signature is HMAC-SHA1 (40 hex digits)');
  }
  const params = v2Params(req);
  if (params === null) return verifyFailure(40103, 'no REST v1 signature covers this request');
  const line = wholeSortEncoded(encodePairs(params));
  const expected = Buffer.from(credentials.signature, 'hex');
  const hosts = [stripPort(req.host), ...candidateHosts(req.host, deps.publicHost)];
  for (const host of new Set(hosts)) {
    const actual = hmacBytes('sha1', skey, canonicalV1({ method: req.method, host, path: req.path }, line));
    if (timingSafeEqual(actual, expected)) return { ok: true, ikey: credentials.ikey, params };
  }
  return verifyFailure(40103);
}
