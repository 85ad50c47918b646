// Duplicate detection (RFC 2865 §4.4/§5, RFC 5080 §2.2.2): a retransmission reuses identifier and authenticator.
import type { Clock } from '../../core/clock.ts';

export const DEFAULT_RETRANSMIT_TTL_MS = 120_000;

/** What to do with a request: run it (`new`), drop it (`in-flight`), or resend the cached reply (`done`). */
export type CacheLookup = { state: 'new' } | { state: 'in-flight' } | { state: 'done'; reply: Buffer };

export interface RetransmitCache {
  /** Looks `key` up; when unknown (or expired) records it as in flight and returns `new`. */
  begin(key: string): CacheLookup;
  /** Stores the reply for an in-flight key; it is resent to duplicates until the TTL runs out. */
  complete(key: string, reply: Buffer): void;
  /** Forgets a key (e.g. the request was dropped after `begin`), so a retransmission is handled afresh. */
  abandon(key: string): void;
  size(): number;
}

/** The cache key: source address and port, identifier, and Request Authenticator. */
export function retransmitKey(
  address: string,
  port: number,
  identifier: number,
  authenticator: Uint8Array,
): string {
  return `${address}|${port}|${identifier}|${Buffer.from(authenticator).toString('hex')}`;
}

type Entry = { state: 'in-flight' } | { state: 'done'; reply: Buffer; expiresAt: number };

/**
 * Creates a cache. A `done` entry lives `ttlMs` after its reply was stored. An `in-flight` entry lives until
 * completed or abandoned — expiring it early would let a retransmission start a second handler.
 */
export function createRetransmitCache(options: { clock: Clock; ttlMs?: number }): RetransmitCache {
  const ttlMs = options.ttlMs ?? DEFAULT_RETRANSMIT_TTL_MS;
  const entries = new Map<string, Entry>();
  // Done entries in completion order; since the TTL is fixed this is also expiry order.
  let expiryQueue: { key: string; expiresAt: number }[] = [];
  let head = 0;

  function sweep(now: number): void {
    while (head < expiryQueue.length && expiryQueue[head]!.expiresAt <= now) {
      const { key, expiresAt } = expiryQueue[head]!;
      const entry = entries.get(key);
      if (entry?.state === 'done' && entry.expiresAt === expiresAt) entries.delete(key);
      head++;
    }
    if (head > 1024 && head * 2 > expiryQueue.length) {
      expiryQueue = expiryQueue.slice(head);
      head = 0;
    }
  }

  return {
    begin(key) {
      const now = options.clock.now();
      sweep(now);
      const entry = entries.get(key);
      if (entry?.state === 'in-flight') return { state: 'in-flight' };
      if (entry?.state === 'done' && entry.expiresAt > now) return { state: 'done', reply: entry.reply };
      entries.set(key, { state: 'in-flight' });
      return { state: 'new' };
    },
    complete(key, reply) {
      const expiresAt = options.clock.now() + ttlMs;
      entries.set(key, { state: 'done', reply, expiresAt });
      expiryQueue.push({ key, expiresAt });
    },
    abandon(key) {
      entries.delete(key);
    },
    size() {
      return entries.size;
    },
  };
}
