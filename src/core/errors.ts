// Every error the core can raise, declared once: a code, what the user is told, and what kind of failure it is.

/**
 * How a front should treat an error: the caller's fault, a missing thing, a conflict, a caller not (or no longer)
 * signed in, a refusal, the service unable to decide, too many attempts (try again later), or our own fault.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'unavailable'
  | 'limited'
  | 'internal';

/**
 * One registry entry. `message` is what any caller is shown. `detail` is for logs, the CLI and the Auth API,
 * except where `showsDetail` is set: then the detail is written for the caller about the caller's own input
 * (a field that does not match the published schema, why a username is refused) and is shown after the message.
 */
interface ErrorEntry {
  kind: ErrorKind;
  message: string;
  showsDetail?: true;
}

export const ERRORS = {
  INVALID_INPUT: { kind: 'invalid', message: 'The request is not valid.' },
  USER_NOT_FOUND: { kind: 'not_found', message: 'No such user.' },
  USER_EXISTS: { kind: 'conflict', message: 'A user with that username or alias already exists.' },
  INVALID_REQUEST: { kind: 'invalid', message: 'The request is not valid.', showsDetail: true },
  INVALID_USERNAME: { kind: 'invalid', message: 'That username is not valid.', showsDetail: true },
  APPLICATION_NOT_FOUND: { kind: 'not_found', message: 'No such application.' },
  GROUP_NOT_FOUND: { kind: 'not_found', message: 'No such group.' },
  DEVICE_NOT_FOUND: { kind: 'not_found', message: 'No such device.' },
  TOKEN_NOT_FOUND: { kind: 'not_found', message: 'No such hardware token.' },
  FRAUD_REPORT_NOT_FOUND: { kind: 'not_found', message: 'No such fraud report.' },
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
  DEVICE_UNAUTHORIZED: { kind: 'unauthenticated', message: 'The device could not be authenticated.' },
  IMPORT_FAILED: { kind: 'invalid', message: 'The file was not imported.' },
  PASSWORD_NOT_SET: { kind: 'invalid', message: 'The user has no local password.' },
  KEYRING_MISSING: { kind: 'unavailable', message: 'The encryption key ring is not available.' },
  // Shown to people (the prompt, the portal) and to Duo clients alike: the detail goes to the logs.
  STORE_UNAVAILABLE: {
    kind: 'unavailable',
    message: 'The sign-in service is unavailable right now. Try again in a minute.',
  },
  MAIL_FAILED: { kind: 'unavailable', message: 'The e-mail could not be sent. Try again later.' },
  // A scrape of a `workers` > 1 server that could not gather every worker's metrics (fronts/ops/metrics-relay.ts).
  METRICS_UNAVAILABLE: {
    kind: 'unavailable',
    message: 'The metrics of every server process could not be gathered.',
  },
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
  ACTIVATION_INVALID: {
    kind: 'invalid',
    message: 'This activation code is not valid (unknown, used or expired).',
  },
  ROUTE_NOT_FOUND: { kind: 'not_found', message: 'There is nothing at this address.' },
  INTERNAL: { kind: 'internal', message: 'Something went wrong on our side. Try again in a moment.' },
  CSRF: { kind: 'forbidden', message: 'This page is out of date. Reload it and try again.' },
  // The portal (docs/portal.md).
  NOT_SIGNED_IN: { kind: 'unauthenticated', message: 'Please sign in.' },
  SIGN_IN_FAILED: { kind: 'unauthenticated', message: 'Incorrect username or password.' },
  SIGN_IN_UNAVAILABLE: {
    kind: 'unavailable',
    message: 'Sign-in is unavailable right now. Please try again shortly.',
  },
  STEP_UP_REQUIRED: {
    kind: 'forbidden',
    message: 'Please confirm it’s you with one of your sign-in methods first.',
  },
  ENROLL_ONLY: { kind: 'forbidden', message: 'This page only lets you add your first sign-in method.' },
  NO_STEP_UP: { kind: 'conflict', message: 'Please choose how to confirm it’s you.' },
  STEP_UP_UNAVAILABLE: {
    kind: 'forbidden',
    message: 'Your sign-in methods cannot be used here. Contact your help desk.',
  },
  ACCOUNT_LOCKED: {
    kind: 'forbidden',
    message: 'Your account is locked after too many attempts. Contact your help desk.',
  },
  PUSH_REFUSED: {
    kind: 'conflict',
    message: 'No push could be sent now. Try again in a moment, or use another method.',
  },
  NO_PENDING_TOTP: { kind: 'conflict', message: 'Please start again: scan a new QR code.' },
  WRONG_CODE: { kind: 'invalid', message: 'That code is not the current one. Check the app and try again.' },
  // The hosted prompt (docs/universal-prompt.md).
  FLOW_NOT_FOUND: {
    kind: 'not_found',
    message:
      'This sign-in has expired or was started in another browser. Go back to the application and sign in again.',
  },
  NOT_ALLOWED_YET: { kind: 'conflict', message: 'Confirm it’s you first.' },
  ENROLLMENT_NOT_NEEDED: { kind: 'conflict', message: 'Set-up is not needed. Reload the page.' },
  // The Universal Prompt's OAuth endpoints, which answer in their own wire format.
  AUTHORIZE_REQUEST_INVALID: {
    kind: 'invalid',
    message: 'This sign-in request is not valid.',
    showsDetail: true,
  },
  CLIENT_ASSERTION_INVALID: {
    kind: 'unauthenticated',
    message: 'The client assertion is not valid.',
    showsDetail: true,
  },
  // WebAuthn ceremonies (src/methods/webauthn/errors.ts names the reasons).
  WEBAUTHN_NO_CHALLENGE: {
    kind: 'invalid',
    message: 'The security key request expired or was already used. Please try again.',
  },
  WEBAUTHN_UNKNOWN_CREDENTIAL: {
    kind: 'invalid',
    message: 'That security key is not registered for this account.',
  },
  WEBAUTHN_ALREADY_REGISTERED: { kind: 'invalid', message: 'That security key is already registered.' },
  WEBAUTHN_INVALID_RESPONSE: { kind: 'invalid', message: 'The security key response could not be verified.' },
  WEBAUTHN_USER_VERIFICATION: {
    kind: 'invalid',
    message: 'The security key did not verify you (PIN or biometric). Please try again.',
  },
  WEBAUTHN_COUNTER_REGRESSION: {
    kind: 'invalid',
    message: 'The security key looks cloned; it has been refused and reported.',
  },
  WEBAUTHN_NO_CREDENTIALS: { kind: 'invalid', message: 'No security key is registered for this account.' },
} as const satisfies Record<string, ErrorEntry>;

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

/**
 * What any caller may be shown for `error`: the registry's message, followed by the detail only for codes whose
 * detail is written for the caller (`showsDetail`). Everything else in `detail` stays in the logs.
 */
export function publicMessage(error: CountersignError): string {
  const entry: ErrorEntry = ERRORS[error.code];
  if (!entry.showsDetail || !error.detail) return entry.message;
  const detail = error.detail.replace(/\.$/, '');
  return `${entry.message.replace(/\.$/, '')}: ${detail}.`;
}

/** Throws a CountersignError: shorthand for `throw new CountersignError(...)` in expressions. */
export function fail(code: ErrorCode, detail?: string): never {
  throw new CountersignError(code, detail);
}

/** True when `error` is a CountersignError with one of `codes` (or any code when none are given). */
export function isCountersignError(error: unknown, ...codes: ErrorCode[]): error is CountersignError {
  return error instanceof CountersignError && (codes.length === 0 || codes.includes(error.code));
}
