// A device account: everything the Node client keeps after activation, including its private signing key.
import type { ActivateResponse, PublicJwk } from '../device-protocol/messages.ts';
import { type DeviceKey, SIGNING_ALGORITHM } from '../device-protocol/signing.ts';
import { DeviceInputError } from './errors.ts';

/** A P-256 private key as a JWK: the public coordinates plus the secret scalar `d`. */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

/** One activated device, as saved in its account file. */
export interface DeviceAccount {
  /** The server's base URL the device talks to. */
  serverUrl: string;
  deviceId: string;
  username: string;
  organization: string;
  /** The device's name as shown to administrators. */
  name: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  totp: ActivateResponse['totp'];
}

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;
const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];

/** Device ids are 20 uppercase alphanumerics (they also name the account file, so nothing else passes). */
export const DEVICE_ID = /^[A-Z0-9]{20}$/;

function isJwk(value: unknown, withPrivate: boolean): boolean {
  const jwk = value as Record<string, unknown> | null;
  return (
    typeof jwk === 'object' &&
    jwk !== null &&
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    typeof jwk.x === 'string' &&
    COORDINATE.test(jwk.x) &&
    typeof jwk.y === 'string' &&
    COORDINATE.test(jwk.y) &&
    (!withPrivate || (typeof jwk.d === 'string' && COORDINATE.test(jwk.d)))
  );
}

/** Checks parsed JSON is a DeviceAccount; throws DeviceInputError naming the first bad field. */
export function parseAccount(value: unknown, where: string): DeviceAccount {
  const account = value as Record<string, unknown> | null;
  const bad = (field: string, expected: string) =>
    new DeviceInputError(`${where}: field '${field}' must be ${expected}`);
  if (typeof account !== 'object' || account === null || Array.isArray(account))
    throw new DeviceInputError(`${where}: not a JSON object`);
  if (typeof account.serverUrl !== 'string' || !/^https?:\/\//.test(account.serverUrl))
    throw bad('serverUrl', 'an http(s) URL');
  if (typeof account.deviceId !== 'string' || !DEVICE_ID.test(account.deviceId))
    throw bad('deviceId', 'a 20-character device id');
  for (const field of ['username', 'organization', 'name'] as const) {
    if (typeof account[field] !== 'string') throw bad(field, 'a string');
  }
  if (!isJwk(account.privateJwk, true)) throw bad('privateJwk', 'a P-256 private key (JWK)');
  if (!isJwk(account.publicJwk, false)) throw bad('publicJwk', 'a P-256 public key (JWK)');
  const totp = account.totp as Record<string, unknown> | null;
  if (
    typeof totp !== 'object' ||
    totp === null ||
    typeof totp.secret !== 'string' ||
    !/^[A-Z2-7]+=*$/i.test(totp.secret) ||
    !Number.isInteger(totp.digits) ||
    !Number.isInteger(totp.period) ||
    (totp.period as number) <= 0 ||
    !ALGORITHMS.includes(totp.algorithm as string)
  ) {
    throw bad('totp', '{secret (base32), digits, period, algorithm SHA1|SHA256|SHA512}');
  }
  return account as unknown as DeviceAccount;
}

/** Imports the account's private key for signing (not extractable once imported). */
export async function importSigningKey(account: Pick<DeviceAccount, 'privateJwk'>): Promise<DeviceKey> {
  const { kty, crv, x, y, d } = account.privateJwk;
  return (await globalThis.crypto.subtle.importKey(
    'jwk',
    { kty, crv, x, y, d },
    { name: SIGNING_ALGORITHM.name, namedCurve: 'P-256' },
    false,
    ['sign'],
  )) as DeviceKey;
}

/** The account without its private key: what may be printed or shown. */
export function publicView(account: DeviceAccount): Omit<DeviceAccount, 'privateJwk' | 'totp'> {
  const { privateJwk: _key, totp: _totp, ...shown } = account;
  return shown;
}
