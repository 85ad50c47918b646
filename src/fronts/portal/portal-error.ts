// Errors the portal API answers with: an HTTP status, a stable code the page reacts to, and a message for people.

import { isCountersignError } from '../../core/errors.ts';
import { WebauthnError } from '../../methods/webauthn/index.ts';
import { retryAfterHeader, STATUS_BY_KIND } from '../web-common/status-by-kind.ts';

export class PortalError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'PortalError';
    this.status = status;
    this.code = code;
  }
}

export const notSignedIn = () => new PortalError(401, 'NOT_SIGNED_IN', 'Please sign in.');
export const stepUpRequired = () =>
  new PortalError(
    403,
    'STEP_UP_REQUIRED',
    'Please confirm it is you with one of your sign-in methods first.',
  );
export const fullSessionRequired = () =>
  new PortalError(403, 'ENROLL_ONLY', 'This page only lets you add your first sign-in method.');

/** The status and JSON body for any error a portal route throws (unknown errors say nothing about internals). */
export function errorReply(error: unknown): {
  status: number;
  body: { error: string; message: string };
  retryAfter?: string | undefined;
} {
  if (error instanceof PortalError)
    return { status: error.status, body: { error: error.code, message: error.message } };
  if (error instanceof WebauthnError)
    return { status: 400, body: { error: `WEBAUTHN_${error.reason.toUpperCase()}`, message: error.message } };
  if (isCountersignError(error)) {
    const message = error.code === 'INVALID_INPUT' && error.detail ? capitalize(error.detail) : error.message;
    return {
      status: STATUS_BY_KIND[error.kind],
      body: { error: error.code, message },
      retryAfter: retryAfterHeader(error),
    };
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: 'INVALID_INPUT', message: 'The request is not valid.' } };
  }
  return {
    status: 500,
    body: { error: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' },
  };
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;
}
