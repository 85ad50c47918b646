// The portal's JSON API from the page: same-origin fetch, the CSRF token on every POST, typed errors; the answers'
// types come from the server (src/fronts/portal/api-shape.ts), as the prompt's do.

export type {
  ActivationLinkView,
  ActivationStatusView,
  DeviceList,
  DeviceView as Device,
  SessionInfo,
  SignInView,
  StepUpMethod,
  StepUpOutcome,
  StepUpPushStarted,
  TotpStartView,
} from '../../src/fronts/portal/api-shape.ts';

/** An error answer from the API: `code` drives the page (STEP_UP_REQUIRED, NOT_SIGNED_IN), `message` is shown. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken = '';

/** Remembers the session's CSRF token for later POSTs. */
export function setCsrf(token: string | undefined): void {
  csrfToken = token ?? '';
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/portal/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrfToken } : {},
      ...(method === 'POST' && { body: JSON.stringify(body ?? {}) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      String(data.error ?? 'ERROR'),
      String(data.message ?? 'Something went wrong. Please try again.'),
    );
  }
  return data as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);
