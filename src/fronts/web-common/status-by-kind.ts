// The HTTP status for each kind of core error, shared by every JSON front (device, portal, prompt, ops…).
import type { CountersignError, ErrorKind } from '../../core/errors.ts';

/** The HTTP status a JSON front answers each kind of CountersignError with. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limited: 429,
  internal: 500,
  unavailable: 503,
};

/**
 * Seconds a client is asked to wait after a 503 that does not know when the service returns (the database unreachable
 * or full): short, since the client's own failmode decides each login in the meantime, as with Duo's own 503s.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * `Retry-After` (whole seconds, at least 1; RFC 9110 §10.2.3) for an error that says when to try again, or for any
 * `unavailable` error; else undefined.
 */
export function retryAfterHeader(error: CountersignError): string | undefined {
  if (error.retryAfterMs !== undefined) return String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  return error.kind === 'unavailable' ? String(UNAVAILABLE_RETRY_AFTER_SECONDS) : undefined;
}
