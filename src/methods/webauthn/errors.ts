// Why a WebAuthn ceremony failed: a closed set of reasons, each with a message a user can act on.

export const WEBAUTHN_FAILURES = {
  no_challenge: 'The security key request expired or was already used. Please try again.',
  unknown_credential: 'That security key is not registered for this account.',
  already_registered: 'That security key is already registered.',
  invalid_response: 'The security key response could not be verified.',
  user_verification: 'The security key did not verify you (PIN or biometric). Please try again.',
  counter_regression: 'The security key looks cloned; it has been refused and reported.',
  no_credentials: 'No security key is registered for this account.',
} as const;

export type WebauthnFailure = keyof typeof WEBAUTHN_FAILURES;

/** A failed WebAuthn ceremony; `detail` is for logs only. */
export class WebauthnError extends Error {
  readonly reason: WebauthnFailure;
  readonly detail: string | undefined;

  constructor(reason: WebauthnFailure, detail?: string) {
    super(WEBAUTHN_FAILURES[reason]);
    this.name = 'WebauthnError';
    this.reason = reason;
    this.detail = detail;
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
