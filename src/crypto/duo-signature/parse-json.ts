// Decodes a JSON request body (signatures v4/v5) into the (key, value) pairs the endpoints read.
import { decodeUtf8 } from './decode-utf8.ts';

/** Why a JSON body was refused, in words for `message_detail`. */
export type JsonBodyProblem = 'not valid UTF-8 JSON' | 'not a JSON object';

/**
 * The object's members as pairs in document order, or the problem with it. Wire reference §3: numbers and
 * booleans stand for their string forms; nested values keep their JSON text; null members are left out.
 */
export function parseJsonPairs(bytes: Uint8Array): Array<[string, string]> | JsonBodyProblem {
  const text = decodeUtf8(bytes);
  if (text === null) return 'not valid UTF-8 JSON';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid UTF-8 JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      pairs.push([key, String(value)]);
    } else if (value !== null) {
      pairs.push([key, JSON.stringify(value)]);
    }
  }
  return pairs;
}
