// Decodes `application/x-www-form-urlencoded` bodies and query strings into (key, value) pairs (§2.3 step 1).
import { decodeUtf8 } from './decode-utf8.ts';

/** Decodes a form body into pairs in wire order; null when an escape or the UTF-8 is malformed. */
export function parseFormPairs(body: string): Array<[string, string]> | null {
  const pairs: Array<[string, string]> = [];
  // Like Node's querystring and Python's parse_qsl, empty segments (`a=1&&b=2`, a trailing `&`) are skipped.
  for (const segment of body.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const key = decodeComponent(eq === -1 ? segment : segment.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : segment.slice(eq + 1));
    if (key === null || value === null) return null;
    pairs.push([key, value]);
  }
  return pairs;
}

/** Decodes the query (the text after `?`, a leading `?` is ignored); same rules as a form body. */
export function parseQueryPairs(rawQuery: string): Array<[string, string]> | null {
  return parseFormPairs(rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery);
}

/** `+` is a space and `%XX` one byte; the bytes must form valid UTF-8. */
function decodeComponent(text: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x2b /* + */) {
      bytes.push(0x20);
    } else if (unit === 0x25 /* % */) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (unit < 0x80) {
      bytes.push(unit);
    } else {
      // Raw non-ASCII text (a front that already decoded the body as UTF-8): keep its UTF-8 bytes.
      const codePoint = text.codePointAt(i) ?? unit;
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) return null; // lone surrogate
      const char = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return decodeUtf8(Uint8Array.from(bytes));
}
