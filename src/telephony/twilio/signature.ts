// Twilio's webhook signature (X-Twilio-Signature): HMAC-SHA1 with the auth token over the URL and sorted POST params.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Twilio signs each webhook request with. */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** Form parameters as Twilio sends them: a name may repeat. */
export type TwilioParams = Record<string, string | readonly string[]>;

/** The parameters of an `application/x-www-form-urlencoded` body (repeated names become lists). */
export function formParams(body: string): TwilioParams {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else params[name] = Array.isArray(previous) ? [...previous, value] : [previous as string, value];
  }
  return params;
}

/**
 * The signature Twilio sends for a POST to `url` with `params`: the full URL (query included), then each
 * parameter name immediately followed by its value, names sorted (a repeated name: each distinct value, sorted);
 * HMAC-SHA1 with the auth token, base64 (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const item of values) data += name + item;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** `url` with its default port written out (`https://host/…` → `https://host:443/…`), or removed. */
function portVariants(url: string): string[] {
  const match = /^(https?:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const hostEnd = authority.lastIndexOf(']') + 1;
  const colon = authority.indexOf(':', hostEnd);
  const host = colon === -1 ? authority : authority.slice(0, colon);
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  const withPort = colon === -1 ? `${scheme}${host}${defaultPort}${rest}` : url;
  return [`${scheme}${host}${rest}`, withPort];
}

/**
 * True when `signature` is Twilio's for `url` and `params`. Twilio may sign the URL with or without its default
 * port (a documented quirk), so both are tried; comparisons are constant-time.
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  return portVariants(url).some((candidate) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
