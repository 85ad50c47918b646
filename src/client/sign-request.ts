// Builds a signed Auth API request (wire reference §2): where parameters go, the body, and the headers.
import { authorizationHeader, duoEncode, signV2, signV5 } from '../crypto/duo-signature/index.ts';

export type SignatureVersion = 2 | 5;

/** A parameter value as a caller gives it; v2 sends its string form, v5 sends it as JSON. */
export type ParamValue = string | number | boolean;

export interface SignRequestInput {
  method: string;
  /** The host exactly as the `Host` header will carry it (`host` or `host:port`). */
  host: string;
  /** The path without a query string. */
  path: string;
  params: Readonly<Record<string, ParamValue | undefined>>;
  ikey: string;
  skey: string;
  signatureVersion: SignatureVersion;
  /** The `Date` header value, e.g. `Date.prototype.toUTCString()`. */
  date: string;
}

/** What goes on the wire: the request-target (path plus query), headers and body bytes. */
export interface SignedHttpRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Methods whose parameters travel in the body (§2.3 step 1). */
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

function definedPairs(params: SignRequestInput['params']): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) pairs.push([key, String(value)]);
  return pairs;
}

/** Encodes pairs the way they are signed, so the wire text and the canonical line agree (§2.3 step 2). */
function encodePairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([key, value]) => `${duoEncode(key)}=${duoEncode(value)}`).join('&');
}

/**
 * Signs a request as Duo's SDKs do: v2 sends a form body (HMAC-SHA512), v5 a JSON body with an
 * empty parameter line and the body's hash (§2.4, §2.5); GET and DELETE carry a query in both.
 */
export function buildSignedRequest(input: SignRequestInput): SignedHttpRequest {
  const method = input.method.toUpperCase();
  const pairs = definedPairs(input.params);
  const inBody = BODY_METHODS.includes(method);
  const head = { date: input.date, method, host: input.host, path: input.path, skey: input.skey };
  const headers: Record<string, string> = { Date: input.date, Host: input.host };
  let target = input.path;
  let body = Buffer.alloc(0);
  let signature: string;

  if (!inBody && pairs.length > 0) target = `${input.path}?${encodePairs(pairs)}`;
  if (input.signatureVersion === 5) {
    if (inBody) {
      const json: Record<string, ParamValue> = {};
      for (const [key, value] of Object.entries(input.params)) if (value !== undefined) json[key] = value;
      body = Buffer.from(JSON.stringify(json), 'utf8');
      headers['Content-Type'] = 'application/json';
    }
    signature = signV5({ ...head, params: inBody ? [] : pairs, body, xDuoHeaders: {} });
  } else {
    if (inBody) {
      body = Buffer.from(encodePairs(pairs), 'utf8');
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    signature = signV2({ ...head, params: pairs, algorithm: 'sha512' });
  }
  headers.Authorization = authorizationHeader(input.ikey, signature);
  if (body.length > 0) headers['Content-Length'] = String(body.length);
  return { method, target, headers, body };
}
