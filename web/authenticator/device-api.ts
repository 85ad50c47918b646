// The app's calls to a Countersign server's device API: activation, pending requests, signed answers, live events.
import {
  type ActivateRequest,
  type ActivateResponse,
  type AnswerResponse,
  DEVICE_API_PREFIX,
  type Decision,
  type LiveTicketResponse,
  type PendingRequest,
} from '../../src/device-protocol/messages.ts';
import { answerSigningString, deviceAuthorization, signText } from '../../src/device-protocol/signing.ts';
import type { Account } from './accounts-db.ts';

/** A refused or failed call: the server's error code and message, or UNREACHABLE (status 0). */
export class DeviceApiError extends Error {
  override name = 'DeviceApiError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The URL of a device API route and the path the signature covers (with the server's own path prefix). */
export function deviceApiUrl(serverUrl: string, route: string): { url: string; path: string } {
  const base = new URL(serverUrl);
  const path = `${base.pathname.replace(/\/$/, '')}${DEVICE_API_PREFIX}${route}`;
  return { url: `${base.origin}${path}`, path };
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, cache: 'no-store' });
  } catch {
    throw new DeviceApiError(0, 'UNREACHABLE', `Cannot reach ${new URL(url).host}. Check your connection.`);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {}
  if (!response.ok) {
    const error = body as { error?: string; message?: string } | null;
    throw new DeviceApiError(
      response.status,
      error?.error ?? 'HTTP_ERROR',
      error?.message ?? `The server answered ${response.status}.`,
    );
  }
  return body as T;
}

/** POST /activate (unauthenticated: the single-use code is the credential). */
export function activate(serverUrl: string, request: ActivateRequest): Promise<ActivateResponse> {
  return call(deviceApiUrl(serverUrl, '/activate').url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/** GET /vapid: the server's Web Push key, or null when it sends no push messages. */
export async function vapidKey(serverUrl: string): Promise<string | null> {
  const answer = await call<{ publicKey: string | null }>(deviceApiUrl(serverUrl, '/vapid').url, {});
  return typeof answer.publicKey === 'string' ? answer.publicKey : null;
}

/** GET /requests, device-signed: the logins waiting for this account's answer. */
export async function fetchPending(account: Account, now: number): Promise<PendingRequest[]> {
  const { url, path } = deviceApiUrl(account.serverUrl, '/requests');
  const authorization = await deviceAuthorization(account.deviceId, account.privateKey, 'GET', path, '', now);
  const answer = await call<{ requests: PendingRequest[] }>(url, { headers: { authorization } });
  return Array.isArray(answer.requests) ? answer.requests : [];
}

/** POST /requests/:txid/answer: the decision signed over answerSigningString, and the call signed as well. */
export async function sendAnswer(
  account: Account,
  txid: string,
  decision: Decision,
  code: string,
  now: number,
): Promise<AnswerResponse> {
  const { url, path } = deviceApiUrl(account.serverUrl, `/requests/${encodeURIComponent(txid)}/answer`);
  const signature = await signText(account.privateKey, answerSigningString(txid, decision, code, now));
  const body = JSON.stringify({ decision, code, signedAt: now, signature });
  const authorization = await deviceAuthorization(
    account.deviceId,
    account.privateKey,
    'POST',
    path,
    body,
    now,
  );
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
}

/**
 * The URL that opens the live channel once: EventSource cannot send headers, so a device-signed POST buys a
 * single-use ticket valid for seconds, and only the ticket rides in the URL.
 */
export async function eventsUrl(account: Account, now: number): Promise<string> {
  const { url, path } = deviceApiUrl(account.serverUrl, '/events/ticket');
  const authorization = await deviceAuthorization(
    account.deviceId,
    account.privateKey,
    'POST',
    path,
    '',
    now,
  );
  const { ticket } = await call<LiveTicketResponse>(url, { method: 'POST', headers: { authorization } });
  return `${deviceApiUrl(account.serverUrl, '/events').url}?${new URLSearchParams({ ticket })}`;
}
