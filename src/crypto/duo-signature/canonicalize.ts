// Duo canonical parameter line (wire reference §2.3), shared by signatures v2 and v5.

const utf8 = new TextEncoder();

/** Byte → its canonical text: unreserved bytes as themselves, the rest as `%XX`. */
const BYTE_TEXT: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const ch = String.fromCharCode(byte);
  return /^[A-Za-z0-9\-._~]$/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** Text made only of unreserved characters, which encode to themselves. */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/** Percent-encodes UTF-8 bytes, keeping only `A-Za-z0-9-._~` (§2.3 step 2: uppercase hex). */
export function duoEncode(s: string): string {
  // Most keys and values (usernames, passcodes, factors) need no escaping: skip the byte walk.
  if (UNRESERVED.test(s)) return s;
  let out = '';
  for (const byte of utf8.encode(s)) out += BYTE_TEXT[byte];
  return out;
}

/** Orders two ASCII strings by code unit (equals byte order for encoded text). */
function compareOrdinal(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Pairs already percent-encoded with duoEncode, in wire order. */
export type EncodedPairs = ReadonlyArray<readonly [string, string]>;

/** Percent-encodes every key and value once, so several parameter lines can share the work. */
export function encodePairs(pairs: ReadonlyArray<readonly [string, string]>): EncodedPairs {
  return pairs.map(([key, value]) => [duoEncode(key), duoEncode(value)] as const);
}

/** Groups the encoded values by encoded key, keeping wire order. */
function groupEncoded(encoded: EncodedPairs): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of encoded) {
    const values = groups.get(key);
    if (values) values.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/**
 * Builds the canonical parameter line: keys sorted by encoded form, one `key=value` per value,
 * values sorted by encoded form (Python `duo_client`) or kept in wire order (Node `duo_api`).
 */
export function canonicalParams(
  pairs: ReadonlyArray<readonly [string, string]>,
  valueOrder: 'sorted' | 'wire',
): string {
  return canonicalEncoded(encodePairs(pairs), valueOrder);
}

/** canonicalParams over pairs that encodePairs already encoded. */
export function canonicalEncoded(encoded: EncodedPairs, valueOrder: 'sorted' | 'wire'): string {
  const groups = groupEncoded(encoded);
  const items: string[] = [];
  for (const key of [...groups.keys()].sort(compareOrdinal)) {
    const values = groups.get(key) ?? [];
    // §1 item 4: Python sorts the quoted values; Node keeps its array (= wire) order.
    const ordered = valueOrder === 'sorted' ? [...values].sort(compareOrdinal) : values;
    for (const value of ordered) items.push(`${key}=${value}`);
  }
  return items.join('&');
}

/**
 * The C# client's variant: sorts whole encoded `key=value` strings instead of keys (§2.3, last
 * paragraph); differs only when a key is a prefix of another followed by a byte below `=`.
 */
export function canonicalParamsWholeSort(pairs: ReadonlyArray<readonly [string, string]>): string {
  return wholeSortEncoded(encodePairs(pairs));
}

/** canonicalParamsWholeSort over pairs that encodePairs already encoded. */
export function wholeSortEncoded(encoded: EncodedPairs): string {
  return encoded
    .map(([key, value]) => `${key}=${value}`)
    .sort(compareOrdinal)
    .join('&');
}
