// Duo's official Node SDK (@duosecurity/duo_api) pointed at a test server: its calls redirected, recorded, promised.
import assert from 'node:assert/strict';
import https from 'node:https';
import { createRequire } from 'node:module';

/** The SDK's surface as lib/main.js defines it (it ships no type declarations). */
export interface DuoClient {
  jsonApiCall(
    method: string,
    path: string,
    params: Record<string, unknown>,
    callback: (body: unknown) => void,
  ): void;
}

interface DuoModule {
  Client: new (ikey: string, skey: string, host: string, sigVersion?: number) => DuoClient;
  SIGNATURE_VERSION_2: number;
  SIGNATURE_VERSION_5: number;
}

export const duo = createRequire(import.meta.url)('@duosecurity/duo_api') as DuoModule;

/** The host the SDK is given: it always connects to port 443 with Duo's pinned CAs (wire reference §6). */
export const SDK_HOST = 'localhost';

/** Both signature versions the SDK speaks, with a label for test names. */
export const SIGNATURE_VERSIONS = [
  ['v2 (form bodies, HMAC-SHA512)', duo.SIGNATURE_VERSION_2],
  ['v5 (JSON bodies)', duo.SIGNATURE_VERSION_5],
] as const;

/** An SDK request as it went on the wire (redirected), so a test can send the very same bytes again. */
export interface Captured {
  options: https.RequestOptions;
  body: Buffer[];
}

export interface SdkRedirect {
  /** How many SDK calls went to the test server. */
  readonly redirected: number;
  /** Every redirected request, oldest first. */
  captured: Captured[];
  /** The SDK request sent last. */
  last(): Captured;
  /** Sends a captured request again, byte for byte (same Date, same signature). */
  resend(request: Captured): Promise<{ status: number; body: Record<string, unknown> }>;
  restore(): void;
}

const originalRequest = https.request;

/**
 * Wire reference §6, recipe 2: the SDK looks up https.request at call time; its calls for SDK_HOST go to
 * 127.0.0.1:`port` with the test CA. Its explicit Host header stays `localhost`.
 */
export function redirectSdk(port: number, caPem: string): SdkRedirect {
  let redirected = 0;
  const captured: Captured[] = [];
  const wrapped = (options: https.RequestOptions, callback?: (res: unknown) => void) => {
    if (options.host !== SDK_HOST)
      return (originalRequest as (...args: unknown[]) => unknown)(options, callback);
    redirected++;
    const target = { ...options, host: '127.0.0.1', servername: SDK_HOST, port, ca: caPem };
    const request = originalRequest(target, callback as never);
    const record: Captured = { options: target, body: [] };
    captured.push(record);
    const write = request.write.bind(request);
    request.write = ((chunk: string | Buffer, ...rest: never[]) => {
      record.body.push(Buffer.from(chunk));
      return write(chunk, ...rest);
    }) as typeof request.write;
    return request;
  };
  (https as { request: unknown }).request = wrapped;
  return {
    get redirected() {
      return redirected;
    },
    captured,
    last() {
      const last = captured.at(-1);
      assert.ok(last, 'the SDK sent a request');
      return last;
    },
    resend(request) {
      return new Promise((resolve, reject) => {
        const sent = originalRequest(request.options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        });
        sent.on('error', reject);
        sent.end(Buffer.concat(request.body));
      });
    },
    restore() {
      (https as { request: unknown }).request = originalRequest;
    },
  };
}

/** One SDK call as a promise of the parsed envelope. */
export function sdkCall(
  client: DuoClient,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    client.jsonApiCall(method, path, params, (body) => resolve(body as Record<string, unknown>));
  });
}
