// What a device signs: every push answer, and every API call it makes. ECDSA P-256 with SHA-256 via WebCrypto.
import type { PublicJwk } from './messages.ts';

/** WebCrypto's key type, named the same way in browsers and in Node. */
export type DeviceKey = InstanceType<typeof CryptoKey>;

/** The exact text a push answer's signature covers: bound to one request, one decision, one code, one time. */
export function answerSigningString(txid: string, decision: string, code: string, signedAt: number): string {
  return ['countersign-push-v1', txid, decision, code, String(signedAt)].join('\n');
}

/** The exact text a device-authenticated API call's signature covers. */
export function requestSigningString(
  method: string,
  pathAndQuery: string,
  signedAt: number,
  bodySha256: string,
): string {
  return ['countersign-device-v1', method.toUpperCase(), pathAndQuery, String(signedAt), bodySha256].join(
    '\n',
  );
}

/** Lowercase hex SHA-256 of a UTF-8 string (WebCrypto: the same in the browser and in Node). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** base64url without padding. */
export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of array) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Signs `text` with a P-256 private key; returns base64url r||s. */
export async function signText(privateKey: DeviceKey, text: string): Promise<string> {
  const signature = await globalThis.crypto.subtle.sign(
    SIGNING_ALGORITHM,
    privateKey,
    new TextEncoder().encode(text),
  );
  return toBase64Url(signature);
}

/** Creates a P-256 signing key pair; `extractable` only where the key must be saved to a file (Node client). */
export async function generateDeviceKeyPair(
  extractable: boolean,
): Promise<{ publicKey: DeviceKey; privateKey: DeviceKey }> {
  return (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, extractable, [
    'sign',
    'verify',
  ])) as { publicKey: DeviceKey; privateKey: DeviceKey };
}

/** The public half as a JWK, as the server stores it. */
export async function exportPublicKey(publicKey: DeviceKey): Promise<PublicJwk> {
  const { kty, crv, x, y } = await globalThis.crypto.subtle.exportKey('jwk', publicKey);
  return { kty, crv, x, y } as PublicJwk;
}

/** The Authorization header a device sends with an API call. */
export async function deviceAuthorization(
  deviceId: string,
  privateKey: DeviceKey,
  method: string,
  pathAndQuery: string,
  body: string,
  signedAt: number,
): Promise<string> {
  const text = requestSigningString(method, pathAndQuery, signedAt, await sha256Hex(body));
  const signature = await signText(privateKey, text);
  return `Countersign-Device id="${deviceId}", ts="${signedAt}", sig="${signature}"`;
}
