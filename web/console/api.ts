// The console's calls from the page: its sign-in (`/admin/console/auth`, the portal's routes) and the Admin API
// mounted behind the session (`/admin/console/api`, Duo's envelope). Same origin, the CSRF token on every change.

export type { ConsoleMe } from '../../src/fronts/console/routes-me.ts';
export type {
  SessionInfo,
  StepUpMethod,
  StepUpOutcome,
  StepUpPushStarted,
} from '../../src/fronts/portal/api-shape.ts';

/** A refused call: `status` 401 sends the page back to sign-in; `message` is shown to the administrator. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

let csrfToken = '';

/** Remembers the session's CSRF token for later changes. */
export function setCsrf(token: string | undefined): void {
  csrfToken = token ?? '';
}

/** Told when the session has ended (401), so the page shows the sign-in again. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

async function send(method: string, url: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(url, {
      method,
      credentials: 'same-origin',
      // A body only with its type: Fastify refuses an empty body that claims to be JSON.
      headers: {
        ...(method !== 'GET' && { 'x-csrf-token': csrfToken }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
}

/** A sign-in call (`/admin/console/auth` + path): the portal's JSON answers. */
export async function auth<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await send(
    method,
    `/admin/console/auth${path}`,
    method === 'POST' ? (body ?? {}) : undefined,
  );
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(response.status, String(data.message ?? 'Something went wrong. Please try again.'));
  }
  return data as T;
}

/** Duo's paging metadata. */
export interface Metadata {
  total_objects?: number;
  next_offset?: number | [string, string] | null;
  prev_offset?: number;
}

export type Params = Record<string, string | number | boolean | string[] | undefined>;

/** Plain words for Duo's refusals; the detail (which parameter, why) follows when it helps. */
function refusal(status: number, data: Record<string, unknown>): string {
  const detail = typeof data.message_detail === 'string' ? data.message_detail : '';
  if (status === 403) return `Your role does not allow this.${detail ? ` (${detail})` : ''}`;
  if (status === 404) return 'That no longer exists. It may have been removed.';
  if (status === 400) return `That was not accepted: ${detail || String(data.message ?? 'invalid input')}.`;
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  return 'Something went wrong on the server. Please try again.';
}

/** One Admin API call through the console session; resolves with Duo's `response` and `metadata`. */
export async function admin<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Params = {},
): Promise<{ response: T; metadata: Metadata }> {
  const defined = Object.entries(params).filter(([, value]) => value !== undefined);
  let url = `/admin/console/api${path}`;
  if (method !== 'POST' && defined.length > 0) {
    const query = new URLSearchParams();
    for (const [name, value] of defined) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
    }
    url += `?${query}`;
  }
  const body =
    method === 'POST'
      ? Object.fromEntries(defined.map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]))
      : undefined;
  const response = await send(method, url, body);
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 401) {
    onSignedOut();
    throw new ApiError(401, 'Your console session has ended. Please sign in again.');
  }
  if (!response.ok || data.stat !== 'OK') throw new ApiError(response.status, refusal(response.status, data));
  return { response: data.response as T, metadata: (data.metadata ?? {}) as Metadata };
}

/** The message of anything caught. */
export function messageOf(caught: unknown): string {
  return caught instanceof ApiError ? caught.message : 'Something went wrong. Please try again.';
}
