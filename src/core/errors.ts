// Every error the core can raise, declared once: a code, what the user is told, and what kind of failure it is.

/**
 * How a front should treat an error: the caller's fault, a missing thing, a conflict, a refusal, the service
 * unable to decide, or too many attempts (try again later).
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unavailable' | 'limited';

export const ERRORS = {
  INVALID_INPUT: { kind: 'invalid', message: 'The request is not valid.' },
  USER_NOT_FOUND: { kind: 'not_found', message: 'No such user.' },
  USER_EXISTS: { kind: 'conflict', message: 'A user with that username or alias already exists.' },
  INVALID_USERNAME: { kind: 'invalid', message: 'That username is not valid.' },
  APPLICATION_NOT_FOUND: { kind: 'not_found', message: 'No such application.' },
  GROUP_NOT_FOUND: { kind: 'not_found', message: 'No such group.' },
  DEVICE_NOT_FOUND: { kind: 'not_found', message: 'No such device.' },
  TOKEN_NOT_FOUND: { kind: 'not_found', message: 'No such hardware token.' },
  TOKEN_EXISTS: { kind: 'conflict', message: 'A hardware token with that serial already exists.' },
  TOKEN_ASSIGNED: { kind: 'conflict', message: 'That hardware token is already assigned to another user.' },
  TRANSACTION_NOT_FOUND: { kind: 'not_found', message: 'No such authentication transaction.' },
  TRANSACTION_FINISHED: { kind: 'conflict', message: 'That authentication has already finished.' },
  FACTOR_NOT_ALLOWED: { kind: 'forbidden', message: 'That method is not allowed by policy.' },
  FACTOR_UNAVAILABLE: { kind: 'invalid', message: 'That method is not available yet.' },
  NO_CAPABLE_DEVICE: { kind: 'invalid', message: 'no capable device' },
  BYPASS_LIMIT: {
    kind: 'conflict',
    message: 'The user already has the maximum number of active bypass codes.',
  },
  ANSWER_REJECTED: { kind: 'forbidden', message: 'That answer was not accepted.' },
  DEVICE_UNAUTHORIZED: { kind: 'forbidden', message: 'The device could not be authenticated.' },
  IMPORT_FAILED: { kind: 'invalid', message: 'The file was not imported.' },
  PASSWORD_NOT_SET: { kind: 'invalid', message: 'The user has no local password.' },
  KEYRING_MISSING: { kind: 'unavailable', message: 'The encryption key ring is not available.' },
  STORE_UNAVAILABLE: { kind: 'unavailable', message: 'The database is not reachable.' },
  RATE_LIMITED: { kind: 'limited', message: 'Too many sign-in attempts. Wait a minute and try again.' },
  TELEPHONY_DISABLED: {
    kind: 'invalid',
    message: 'Text messages and phone calls are not enabled on this server.',
  },
  TELEPHONY_LIMITED: {
    kind: 'limited',
    message: 'Too many text messages or calls. Wait a while and try again, or use another method.',
  },
  TELEPHONY_BUDGET_EXCEEDED: {
    kind: 'limited',
    message: 'Text messages and calls are unavailable until tomorrow. Use another method.',
  },
  TELEPHONY_FAILED: {
    kind: 'unavailable',
    message: 'The text message or call could not be sent. Try again or use another method.',
  },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure the core reports on purpose; `detail` is for logs and operators, `message` for users. */
export class CountersignError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly detail: string | undefined;
  /** For `limited` errors: how long until a new attempt may pass. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, detail?: string, options: { retryAfterMs?: number } = {}) {
    super(ERRORS[code].message);
    this.name = 'CountersignError';
    this.code = code;
    this.kind = ERRORS[code].kind;
    this.detail = detail;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Throws a CountersignError: shorthand for `throw new CountersignError(...)` in expressions. */
export function fail(code: ErrorCode, detail?: string): never {
  throw new CountersignError(code, detail);
}

/** True when `error` is a CountersignError with one of `codes` (or any code when none are given). */
export function isCountersignError(error: unknown, ...codes: ErrorCode[]): error is CountersignError {
  return error instanceof CountersignError && (codes.length === 0 || codes.includes(error.code));
}
