// Replay refusal for signed requests: each accepted request is remembered in the store (so on every node) until
// its signed time leaves the clock-skew window, and a second use is refused.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { purgeOnUse } from './purge-on-use.ts';

/**
 * Rows live this much past their expiry before they are deleted: a node whose clock runs behind the purging
 * node's still accepts the request's date for that long.
 */
const PURGE_GRACE_MS = 60_000;

/** Claims signed requests once. */
export interface ClaimOnce {
  /**
   * True the first time `identity` is claimed, false for every later claim on any node sharing the store.
   * `signedAt` is the time the request was signed; it is refused by its date from `signedAt + windowMs` on, so
   * the record is kept until then.
   */
  claim(identity: readonly string[], signedAt: number, windowMs: number): Promise<boolean>;
  /** Gives a claim back: the request was refused before it did anything, and its sender may retry it as is. */
  release(identity: readonly string[]): Promise<void>;
}

/** The key stored for a signed request: a hash of what identifies it (never a usable signature). */
export function usedSignatureKey(identity: readonly string[]): string {
  // JSON keeps the parts apart: ['a\nb', 'c'] and ['a', 'b\nc'] hash differently.
  return createHash('sha256').update(JSON.stringify(identity)).digest('base64url');
}

/**
 * One purge schedule per store: claimers are made per request in places (the remembered device, the REST v1
 * status), and a schedule of their own each would purge on every claim, a DELETE per login (issue 14).
 */
const purges = new WeakMap<CoreDeps['store'], () => Promise<void>>();

/** Creates a claimer on the store; expired records are purged as claims come in, at most once a minute. */
export function claimOnce(deps: Pick<CoreDeps, 'store' | 'clock'>): ClaimOnce {
  const purge =
    purges.get(deps.store) ??
    purgeOnUse(deps.clock, (before) => deps.store.usedSignatures.purge(before), PURGE_GRACE_MS);
  purges.set(deps.store, purge);
  return {
    async claim(identity, signedAt, windowMs) {
      await purge();
      return deps.store.usedSignatures.claim(usedSignatureKey(identity), signedAt + windowMs);
    },
    release: (identity) => deps.store.usedSignatures.release(usedSignatureKey(identity)),
  };
}
