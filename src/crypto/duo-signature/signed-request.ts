// The request as the HTTP front hands it to the Duo signature verifier.

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
  /** Decoded form body pairs, wire order; null when the body is JSON or absent. */
  bodyPairs: Array<[string, string]> | null;
  /** Exact body bytes received (empty when none). */
  rawBody: Uint8Array;
  /** Request headers with lowercased names. */
  headers: Record<string, string | undefined>;
}
