// HS512 JSON Web Tokens (RFC 7519 / RFC 7515), strict: the header must say HS512, nothing else is accepted.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

/** Why a token was refused; `message` says what is wrong in words a developer can act on. */
export class JwtError extends Error {
  readonly reason: 'malformed' | 'algorithm' | 'signature';
  constructor(reason: JwtError['reason'], message: string) {
    super(message);
    this.name = 'JwtError';
    this.reason = reason;
  }
}

function hmac(input: string, secret: string): Buffer {
  // The Duo SDKs key HMAC-SHA512 with the UTF-8 bytes of the client secret (reference §3).
  // A string key (UTF-8, the same bytes): on Node 24 a Buffer key costs ~20 µs more per call.
  return createHmac('sha512', secret).update(input).digest();
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeObject(part: string, what: string): JwtClaims {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new JwtError('malformed', `the JWT ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed', `the JWT ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtError('malformed', `the JWT ${what} is not a JSON object`);
  }
  return value as JwtClaims;
}

function split(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 16_384) {
    throw new JwtError('malformed', 'a JWT must be three base64url parts separated by dots');
  }
  return parts as [string, string, string];
}

/** Signs `claims` as a compact JWS with header `{"alg":"HS512","typ":"JWT"}`. */
export function signHs512(claims: JwtClaims, secret: string): string {
  const input = `${encodePart({ alg: 'HS512', typ: 'JWT' })}.${encodePart(claims)}`;
  return `${input}.${hmac(input, secret).toString('base64url')}`;
}

/** Reads the claims without checking the signature (only to learn which client's secret to verify with). */
export function decodeUnverified(token: string): JwtClaims {
  const [, payload] = split(token);
  return decodeObject(payload, 'payload');
}

/** Verifies an HS512 JWT with `secret` and returns its claims; throws JwtError for anything else. */
export function verifyHs512(token: string, secret: string): JwtClaims {
  const [header, payload, signature] = split(token);
  const head = decodeObject(header, 'header');
  // RFC 8725 §3.1: never let the token choose the algorithm.
  if (head.alg !== 'HS512')
    throw new JwtError('algorithm', `the JWT alg must be HS512, not ${String(head.alg)}`);
  if (head.typ !== undefined && head.typ !== 'JWT')
    throw new JwtError('malformed', 'the JWT typ must be JWT');
  if (head.crit !== undefined)
    throw new JwtError('malformed', 'the JWT header has unsupported critical parameters');
  const expected = hmac(`${header}.${payload}`, secret);
  const given = /^[A-Za-z0-9_-]+$/.test(signature) ? Buffer.from(signature, 'base64url') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError('signature', 'the JWT signature does not verify');
  }
  return decodeObject(payload, 'payload');
}
