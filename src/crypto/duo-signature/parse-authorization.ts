// Parses the Duo `Authorization: Basic base64(ikey:hex)` header (§2.1); anything malformed is null.
import { decodeUtf8 } from './decode-utf8.ts';

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2})$/i;
// §1 item 1: 40 hex characters is HMAC-SHA1, 128 is HMAC-SHA512.
const SIGNATURE = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{128})$/;

/** Credentials carried by a Duo Authorization header; `signature` is lowercase hex. */
export interface DuoCredentials {
  ikey: string;
  signature: string;
}

/** Returns the ikey and hex signature, or null when the header is absent or not `Basic ikey:hex`. */
export function parseAuthorization(header: string | undefined): DuoCredentials | null {
  if (header === undefined) return null;
  const token = BASIC.exec(header.trim())?.[1];
  if (token === undefined || !isCanonicalBase64(token)) return null;
  const decoded = decodeUtf8(Buffer.from(token, 'base64'));
  if (decoded === null) return null;
  // RFC 7617 §2: the user-id (here the ikey) cannot contain a colon, so split at the first one.
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const signature = decoded.slice(colon + 1);
  if (!SIGNATURE.test(signature)) return null;
  return { ikey: decoded.slice(0, colon), signature: signature.toLowerCase() };
}

/** Rejects base64 that Node would silently repair: wrong length, bad padding or stray bits. */
function isCanonicalBase64(token: string): boolean {
  if (token.length % 4 !== 0) return false;
  return Buffer.from(token, 'base64').toString('base64') === token;
}
