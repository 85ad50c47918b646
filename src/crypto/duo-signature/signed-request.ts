// The request as the HTTP front hands it to the Duo signature verifier.

/** The body decoded by its content type: a form or a JSON object, as (key, value) pairs in wire order. */
export interface DecodedBody {
  type: 'form' | 'json';
  pairs: Array<[string, string]>;
}

/** Everything signature verification needs from one HTTP request, exactly as received. */
export interface SignedRequest {
  /** HTTP method as received. */
  method: string;
  /** Host header as received (may include `:port`). */
  host: string;
  /** Request-target before `?`, byte-for-byte. */
  path: string;
  /** Decoded query pairs, wire order. */
  queryPairs: Array<[string, string]>;
  /** The decoded body; null when the body is empty. */
  body: DecodedBody | null;
  /** Exact body bytes received (empty when none). */
  rawBody: Uint8Array;
  /** Request headers with lowercased names. */
  headers: Record<string, string | undefined>;
}
