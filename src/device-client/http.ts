// HTTP for the device client: device-signed calls to /device/v1 and the JSON error answers they may get.
import { DEVICE_API_PREFIX } from '../device-protocol/messages.ts';
import { type DeviceKey, deviceAuthorization } from '../device-protocol/signing.ts';
import { DeviceApiError } from './errors.ts';

/** What a signed call needs: who signs, with which key, against which server, at what time. */
export interface DeviceSession {
  serverUrl: string;
  deviceId: string;
  key: DeviceKey;
  clock: { now(): number };
  fetch: typeof fetch;
}

/** The absolute URL and the signed path (with the server's own path prefix, if any) of a device API route. */
export function deviceApiUrl(serverUrl: string, route: string): { url: string; path: string } {
  const base = new URL(serverUrl);
  const path = `${base.pathname.replace(/\/$/, '')}${DEVICE_API_PREFIX}${route}`;
  return { url: `${base.origin}${path}`, path };
}

/** Fetches, turning a network failure into DeviceApiError UNREACHABLE. */
export async function send(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new DeviceApiError(0, 'UNREACHABLE', `cannot reach ${new URL(url).origin}: ${why}`);
  }
}

/** Reads a JSON answer; a non-2xx one becomes DeviceApiError with the server's `{error, message}`. */
export async function readJson<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DeviceApiError(
      response.status,
      'BAD_RESPONSE',
      `${what}: the server answered HTTP ${response.status} with something that is not JSON`,
    );
  }
  if (!response.ok) {
    const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
    throw new DeviceApiError(
      response.status,
      typeof error === 'string' ? error : 'HTTP_ERROR',
      `${what}: ${typeof message === 'string' ? message : `HTTP ${response.status}`}`,
      typeof message === 'string' ? message : undefined,
    );
  }
  return body as T;
}

/** Sends a device-signed call (`Authorization: Countersign-Device …` over method, path, time and body). */
export async function signedCall<T>(
  session: DeviceSession,
  method: 'GET' | 'POST' | 'PUT',
  route: string,
  body = '',
): Promise<T> {
  const { url, path } = deviceApiUrl(session.serverUrl, route);
  const authorization = await deviceAuthorization(
    session.deviceId,
    session.key,
    method,
    path,
    body,
    session.clock.now(),
  );
  const response = await send(session.fetch, url, {
    method,
    headers: { authorization, ...(body !== '' && { 'content-type': 'application/json' }) },
    ...(body !== '' && { body }),
  });
  return readJson<T>(response, `${method} ${path}`);
}
