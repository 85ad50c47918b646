// Why a WebAuthn ceremony failed: a closed set of reasons, each a registry code with a message a user can act on.
import { CountersignError } from '../../core/errors.ts';

/** Each reason's code in the error registry (src/core/errors.ts), where its message lives. */
export const WEBAUTHN_FAILURES = {
  no_challenge: 'WEBAUTHN_NO_CHALLENGE',
  unknown_credential: 'WEBAUTHN_UNKNOWN_CREDENTIAL',
  already_registered: 'WEBAUTHN_ALREADY_REGISTERED',
  invalid_response: 'WEBAUTHN_INVALID_RESPONSE',
  user_verification: 'WEBAUTHN_USER_VERIFICATION',
  counter_regression: 'WEBAUTHN_COUNTER_REGRESSION',
  no_credentials: 'WEBAUTHN_NO_CREDENTIALS',
} as const;

export type WebauthnFailure = keyof typeof WEBAUTHN_FAILURES;

/** A failed WebAuthn ceremony: a CountersignError whose code follows from `reason`; `detail` is for logs only. */
export class WebauthnError extends CountersignError {
  readonly reason: WebauthnFailure;

  constructor(reason: WebauthnFailure, detail?: string) {
    super(WEBAUTHN_FAILURES[reason], detail);
    this.name = 'WebauthnError';
    this.reason = reason;
  }
}

/** Maps a verification library error to a reason: missing user verification is told apart from the rest. */
export function failureFrom(error: unknown): WebauthnError {
  if (error instanceof WebauthnError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WebauthnError(
    /user verification/i.test(message) ? 'user_verification' : 'invalid_response',
    message,
  );
}
