// Browser tokens: 256 random bits in the cookie, only their SHA-256 in the database.
import { createHash } from 'node:crypto';
import type { Random } from '../clock.ts';

/** A fresh token and the id it is stored under. */
export function newToken(random: Random): { token: string; id: string } {
  const token = random.bytes(32).toString('base64url');
  return { token, id: tokenId(token) };
}

/** The database id of a token (a stolen database yields no usable cookie). */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** True when `token` has the shape of one of ours (so garbage never reaches the database). */
export function isTokenShaped(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token);
}
