// One HTTP request to a provider: a deadline, no redirects, and failures as TelephonyProviderError without secrets.
import { TelephonyProviderError } from './provider.ts';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** What the provider answered (any status: the caller decides what it means). */
export interface ProviderAnswer {
  status: number;
  text: string;
}

/** The URL without its query and credentials, for messages (Kannel's sendsms query carries the password). */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Sends `request` with fetch; a network failure or timeout becomes a TelephonyProviderError naming `provider`. */
export async function providerRequest(
  provider: string,
  request: ProviderRequest,
  fetchFn: typeof fetch = fetch,
): Promise<ProviderAnswer> {
  let response: Response;
  try {
    response = await fetchFn(request.url, {
      method: request.method,
      ...(request.headers && { headers: request.headers }),
      ...(request.body !== undefined && { body: request.body }),
      // A provider's API never redirects a send; following one could replay credentials elsewhere.
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const cause = error as Error & { cause?: { code?: string; message?: string } };
    const why =
      cause.name === 'TimeoutError'
        ? `no answer within ${request.timeoutMs} ms`
        : (cause.cause?.code ?? cause.cause?.message ?? cause.message);
    throw new TelephonyProviderError(`${provider}: ${redactedUrl(request.url)} unreachable: ${why}`, null, {
      cause: error,
    });
  }
  // Bounded: an error page can be large, and only its start is useful in a log line.
  const text = (await response.text()).slice(0, 2_000);
  return { status: response.status, text };
}
