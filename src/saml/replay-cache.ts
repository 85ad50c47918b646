// Remembers the IDs of accepted inbound messages until they would be refused as stale anyway, so each is accepted once.
import type { Clock } from '../core/clock.ts';
import type { CoreDeps } from '../core/deps.ts';
import { claimOnce } from '../core/single-use/claim-once.ts';

/** Claims message IDs once. */
export interface SamlReplayCache {
  /** True the first time `key` is claimed; false for every later claim until `expiresAt` has passed. */
  claim(key: string, expiresAt: number): Promise<boolean>;
}

/**
 * A cache in this process only: for one node and for tests. It holds at most `maxEntries` live IDs; when that many
 * are live it refuses new ones rather than forget one early (forgetting would let a replay through).
 */
export function memoryReplayCache(clock: Clock, maxEntries = 100_000): SamlReplayCache {
  const seen = new Map<string, number>();
  const purge = (now: number) => {
    for (const [key, expiresAt] of seen) if (expiresAt < now) seen.delete(key);
  };
  return {
    async claim(key, expiresAt) {
      const now = clock.now();
      const known = seen.get(key);
      if (known !== undefined && known >= now) return false;
      if (seen.size >= maxEntries) purge(now);
      if (seen.size >= maxEntries) return false;
      seen.set(key, expiresAt);
      return true;
    },
  };
}

/**
 * A cache in the store's used-signature table, shared by every node: a message accepted on one node is refused on
 * all. Keys are hashed before they are stored; expired rows are purged as claims come in.
 */
export function storeReplayCache(deps: Pick<CoreDeps, 'store' | 'clock'>): SamlReplayCache {
  const claims = claimOnce(deps);
  // claimOnce keeps a record until signedAt + windowMs: our expiry with a zero window.
  return { claim: (key, expiresAt) => claims.claim(['saml', key], expiresAt, 0) };
}
