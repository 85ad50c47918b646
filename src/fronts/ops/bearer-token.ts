// A static bearer token (RFC 6750 §2.1) compared in constant time: how a scraper reaches /metrics on the main listener.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** True when `authorization` is `Bearer <token>`; the scheme is case-insensitive (RFC 7235 §2.1). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^bearer +([^\s]+) *$/i.exec(authorization ?? '')?.[1];
  // Digests have one length, so neither the comparison nor its duration tells how long the token is.
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}
