// The RADIUS State of an Access-Challenge: the transaction id plus a random secret whose hash the transaction keeps.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../../core/clock.ts';
import type { AuthTransaction } from '../../../core/model.ts';

/** RFC 2865 §5.24 leaves State opaque; 20 random bytes make it unguessable (the brief asks for 16 or more). */
const SECRET_BYTES = 20;
const MAX_TXID_BYTES = 64;

/** What a new challenge keeps: the secret goes to the NAS, only its hash into the transaction's `data`. */
export interface ChallengeSecret {
  secret: Buffer;
  /** Transaction data to store: any node can check a State against it, nothing lives in process memory. */
  data: { radius: { stateHash: string; client: string } };
}

function hash(secret: Uint8Array): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Draws a fresh State secret for a transaction about to be created by `client`. */
export function newChallengeSecret(random: Random, client: string): ChallengeSecret {
  const secret = random.bytes(SECRET_BYTES);
  return { secret, data: { radius: { stateHash: hash(secret), client } } };
}

/** The State attribute value: the transaction id, then the secret. */
export function encodeState(txid: string, secret: Buffer): Buffer {
  return Buffer.concat([Buffer.from(txid, 'utf8'), secret]);
}

/** Splits a State into the transaction id and secret; null when it cannot be one of ours. */
export function decodeState(state: Buffer): { txid: string; secret: Buffer } | null {
  if (state.length <= SECRET_BYTES || state.length > SECRET_BYTES + MAX_TXID_BYTES) return null;
  const txid = state.subarray(0, state.length - SECRET_BYTES).toString('utf8');
  if (!/^[A-Za-z0-9-]+$/.test(txid)) return null;
  return { txid, secret: Buffer.from(state.subarray(state.length - SECRET_BYTES)) };
}

/** True when `secret` is the one whose hash `tx` keeps (constant-time comparison). */
export function stateMatches(tx: AuthTransaction, secret: Buffer): boolean {
  const radius = tx.data.radius as { stateHash?: unknown } | undefined;
  if (typeof radius?.stateHash !== 'string') return false;
  const expected = Buffer.from(radius.stateHash);
  const actual = Buffer.from(hash(secret));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
