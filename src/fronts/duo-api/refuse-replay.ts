// Replay refusal on Duo-signed APIs: a signed request that starts or changes something is accepted once, on any node.
import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { claimOnce } from '../../core/single-use/claim-once.ts';
import { parseAuthorization, parseDuoDate, type SignedRequest } from '../../crypto/duo-signature/index.ts';
import { DuoApiError } from './envelope.ts';

/** Duo's texts for 40103 (wire reference §4), with a detail that says what really happened. */
const REPLAYED = () =>
  new DuoApiError(
    401,
    40103,
    'Invalid signature in request credentials',
    'this signed request was already used; sign each request anew',
  );

/** The request's signing time, chosen as verify-request.ts chooses it (§1 item 5: X-Duo-Date wins over Date). */
function signedAt(headers: SignedRequest['headers'], fallback: number): number {
  const pick = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value;
  const date = pick(headers['x-duo-date']) ?? pick(headers.date);
  return (date === undefined ? null : parseDuoDate(date)) ?? fallback;
}

export interface ReplayOptions {
  /** The plugin's route prefix. */
  prefix: string;
  skewMs: number;
  /** Keeps one API's claims apart from another's. */
  namespace: string;
  /**
   * The calls refused on a second use, as `METHOD route` below the prefix. Read-only calls should stay
   * repeatable: Duo's `Date` has one-second resolution and genuine clients repeat them within a second
   * (docs/auth-api.md, "Replayed requests").
   */
  isSingleUse: (call: string) => boolean;
}

/**
 * Returns the check to run after a request's signature was verified: for a single-use route it claims
 * (integration key, signature) until the signed date leaves the `skewMs` window, and throws 401 40103 if the
 * claim was taken already. It resolves to a function that gives the claim back, for a request refused before it
 * did anything (a 429: Duo's clients retry the identical signed request, wire reference §4).
 */
export function replayRefusal(deps: Pick<CoreDeps, 'store' | 'clock'>, options: ReplayOptions) {
  const { prefix, skewMs, namespace, isSingleUse } = options;
  const claims = claimOnce(deps);
  const nothing = async () => {};
  return async function refuseReplay(
    request: FastifyRequest,
    signed: SignedRequest,
  ): Promise<() => Promise<void>> {
    const route = (request.routeOptions.url ?? '').slice(prefix.length);
    if (!isSingleUse(`${request.method} ${route}`)) return nothing;
    const credentials = parseAuthorization(signed.headers.authorization);
    // Verified already, so never null; the check keeps the types honest.
    if (credentials === null) throw REPLAYED();
    // The signature is HMAC over the whole request: every accepted variant of one request carries the same one.
    const identity = [namespace, credentials.ikey, credentials.signature];
    if (!(await claims.claim(identity, signedAt(signed.headers, deps.clock.now()), skewMs))) throw REPLAYED();
    return () => claims.release(identity);
  };
}
