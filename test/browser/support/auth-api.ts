// A minimal signed Auth API v2 caller for browser tests (HMAC-SHA512 signatures, as Duo's client libraries send).
import { authorizationHeader, signV2 } from '../../../src/crypto/duo-signature/index.ts';

/** The `response` of a Duo-style envelope (the test fails loudly on anything else). */
export type AuthApiCall = (
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** A caller for `baseUrl` with one application's keys. */
export function authApiCaller(baseUrl: string, ikey: string, skey: string): AuthApiCall {
  const host = new URL(baseUrl).host;
  return async (method, path, params) => {
    const date = new Date().toUTCString();
    const pairs = Object.entries(params);
    const signature = signV2({ date, method, host, path, params: pairs, skey, algorithm: 'sha512' });
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${baseUrl}${path}${method === 'GET' ? `?${query}` : ''}`, {
      method,
      headers: {
        date,
        authorization: authorizationHeader(ikey, signature),
        ...(method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(method === 'POST' && { body: query }),
    });
    const body = (await response.json()) as { stat?: string; response?: Record<string, unknown> };
    if (body.stat !== 'OK' || !body.response) {
      throw new Error(`${method} ${path} failed (${response.status}): ${JSON.stringify(body)}`);
    }
    return body.response;
  };
}
