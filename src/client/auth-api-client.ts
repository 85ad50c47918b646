// A typed client for Countersign's (and Duo's) Auth API v2: signed requests over keep-alive connections.
import { AuthApiError, readEnvelope } from './auth-api-error.ts';
import { buildSignedRequest, type ParamValue, type SignatureVersion } from './sign-request.ts';
import { createTransport, type HttpResponse, parseBaseUrl } from './transport.ts';
import type {
  AsyncAuthResponse,
  AuthParams,
  AuthResponse,
  AuthStatusResponse,
  EnrollParams,
  EnrollResponse,
  EnrollStatusParams,
  EnrollStatusResponse,
  PreauthParams,
  PreauthResponse,
  TimeResponse,
} from './types.ts';

export { AuthApiError } from './auth-api-error.ts';
export type { ParamValue, SignatureVersion } from './sign-request.ts';
export type * from './types.ts';

export interface AuthApiClientOptions {
  /** `http(s)://host:port`, nothing after it. */
  baseUrl: string;
  ikey: string;
  skey: string;
  /** Default 5 (JSON bodies); 2 sends form bodies signed with HMAC-SHA512. */
  signatureVersion?: SignatureVersion;
  /** PEM of the CA to trust instead of the system store (HTTPS only). */
  ca?: string;
  /** Milliseconds since the epoch for the `Date` header; default Date.now. */
  clock?: () => number;
}

type Params = Readonly<Record<string, ParamValue | undefined>>;

export interface AuthApiClient {
  /** GET /auth/v2/ping (unsigned by the server's rules, signed anyway as the SDKs do). */
  ping(): Promise<TimeResponse>;
  /** GET /auth/v2/check: proves the keys and signature work. */
  check(): Promise<TimeResponse>;
  /** GET /auth/v2/logo: the PNG bytes. */
  logo(): Promise<Buffer>;
  preauth(params: PreauthParams): Promise<PreauthResponse>;
  auth(params: AuthParams & { async: 1 | true }): Promise<AsyncAuthResponse>;
  auth(params: AuthParams & { async?: 0 | false }): Promise<AuthResponse>;
  /** GET /auth/v2/auth_status: a long poll that answers when the transaction changes. */
  authStatus(txid: string): Promise<AuthStatusResponse>;
  enroll(params?: EnrollParams): Promise<EnrollResponse>;
  enrollStatus(params: EnrollStatusParams): Promise<EnrollStatusResponse>;
  /** Any signed call; returns the envelope's `response` untyped (for endpoints and inputs the types forbid). */
  call(method: string, path: string, params?: Params): Promise<unknown>;
  /** Any signed call, returning the raw HTTP answer without reading the envelope. */
  send(method: string, path: string, params?: Params): Promise<HttpResponse>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

/** Creates a client; it signs every request with `ikey`/`skey` for the host in `baseUrl`. */
export function createAuthApiClient(options: AuthApiClientOptions): AuthApiClient {
  const url = parseBaseUrl(options.baseUrl);
  const transport = createTransport(url, options.ca);
  const clock = options.clock ?? Date.now;
  const signatureVersion = options.signatureVersion ?? 5;

  function send(method: string, path: string, params: Params = {}): Promise<HttpResponse> {
    const request = buildSignedRequest({
      method,
      // The signed host is the Host header as sent: URL.host drops a default port, as http.request does.
      host: url.host,
      path,
      params,
      ikey: options.ikey,
      skey: options.skey,
      signatureVersion,
      date: new Date(clock()).toUTCString(),
    });
    return transport.send(request);
  }

  async function call(method: string, path: string, params?: Params): Promise<unknown> {
    return readEnvelope(await send(method, path, params));
  }

  async function auth(params: AuthParams & { async?: 0 | 1 | boolean }): Promise<unknown> {
    const { async: isAsync, ...rest } = params;
    return call('POST', '/auth/v2/auth', { ...rest, ...(isAsync ? { async: '1' } : {}) });
  }

  return {
    ping: async () => (await call('GET', '/auth/v2/ping')) as TimeResponse,
    check: async () => (await call('GET', '/auth/v2/check')) as TimeResponse,
    async logo() {
      const response = await send('GET', '/auth/v2/logo');
      // Python's rule (§3): an image/* answer is the logo; anything else is an error envelope.
      if (response.status === 200 && String(response.headers['content-type']).startsWith('image/')) {
        return response.body;
      }
      readEnvelope(response);
      throw new AuthApiError(response.status, 0, 'the logo answer is not an image');
    },
    preauth: async (params) => (await call('POST', '/auth/v2/preauth', params)) as PreauthResponse,
    auth: auth as AuthApiClient['auth'],
    authStatus: async (txid) => (await call('GET', '/auth/v2/auth_status', { txid })) as AuthStatusResponse,
    enroll: async (params = {}) => (await call('POST', '/auth/v2/enroll', { ...params })) as EnrollResponse,
    enrollStatus: async (params) =>
      (await call('POST', '/auth/v2/enroll_status', { ...params })) as EnrollStatusResponse,
    call,
    send,
    close: () => transport.close(),
  };
}
