// Claim checks shared by client assertions and authorization requests: times with leeway, exact strings.

/** Clock skew tolerated either way (reference §3: about 60 s). */
export const LEEWAY_SECONDS = 60;
/** Client JWTs live 300 s; anything further ahead is refused. */
export const MAX_LIFETIME_SECONDS = 300;

/** Why a claim was refused: the claim and what is wrong with it. */
export class ClaimError extends Error {
  readonly claim: string;
  constructor(claim: string, message: string) {
    super(`The \`${claim}\` claim ${message}`);
    this.name = 'ClaimError';
    this.claim = claim;
  }
}

/** The string claim `name`, required non-empty. */
export function stringClaim(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  if (typeof value !== 'string' || value === '') throw new ClaimError(name, 'must be a non-empty string');
  return value;
}

/** Checks `exp` (a NumericDate, integer or not) against `nowMs`: not past (with leeway), not too far ahead. */
export function checkExpiry(claims: Record<string, unknown>, nowMs: number): number {
  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new ClaimError('exp', 'must be a NumericDate');
  const now = nowMs / 1000;
  if (exp <= now - LEEWAY_SECONDS) throw new ClaimError('exp', 'is in the past: the JWT has expired');
  if (exp > now + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS) {
    throw new ClaimError('exp', `must be at most ${MAX_LIFETIME_SECONDS} seconds ahead`);
  }
  const iat = claims.iat;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + LEEWAY_SECONDS)) {
    throw new ClaimError('iat', 'must be a NumericDate that is not in the future');
  }
  return exp;
}

/** True when `aud` is `expected` or an array containing it (RFC 7519 §4.1.3). */
export function audienceMatches(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}
