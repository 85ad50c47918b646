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

/** `Retry-After` (whole seconds, at least 1) for an error that says when to try again, else undefined. */
export function retryAfterHeader(error: CountersignError): string | undefined {
  return error.retryAfterMs === undefined
    ? undefined
    : String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
}
