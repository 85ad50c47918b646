// Builders shared by the verifyDuoRequest tests: a signed request as an HTTP front would hand it over.
import { parseFormPairs, parseQueryPairs } from './parse-form.ts';
import { parseJsonPairs } from './parse-json.ts';
import type { DecodedBody, SignedRequest } from './signed-request.ts';

/** A request before it is signed: what the client puts on the wire. */
export interface WireRequest {
  method: string;
  host: string;
  path: string;
  query?: string;
  form?: string;
  json?: string;
  headers?: Record<string, string>;
}

/** Turns wire text into the SignedRequest the front would build, like a real front decoding it. */
export function toSignedRequest(wire: WireRequest, authorization?: string): SignedRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(wire.headers ?? {})) headers[name.toLowerCase()] = value;
  if (authorization !== undefined) headers.authorization = authorization;
  const rawBody = new TextEncoder().encode(wire.form ?? wire.json ?? '');
  return {
    method: wire.method,
    host: wire.host,
    path: wire.path,
    queryPairs: parseQueryPairs(wire.query ?? '') ?? [],
    body: rawBody.length === 0 ? null : decodedBody(wire, rawBody),
    rawBody,
    headers,
  };
}

/** The body as readRequest decodes it by content type; a test that sends an invalid body gets no pairs. */
function decodedBody(wire: WireRequest, rawBody: Uint8Array): DecodedBody {
  if (wire.json !== undefined) {
    const pairs = parseJsonPairs(rawBody);
    return { type: 'json', pairs: typeof pairs === 'string' ? [] : pairs };
  }
  return { type: 'form', pairs: parseFormPairs(wire.form ?? '') ?? [] };
}

/** Node-style wire encoding of pairs (encodeURIComponent, `!'()*` left as is). */
export function encodeWire(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** A lookupSecret that knows exactly one integration. */
export function oneSecret(ikey: string, skey: string): (candidate: string) => Promise<string | null> {
  return async (candidate) => (candidate === ikey ? skey : null);
}
