// Authenticates a device's API call: its signature over method, path, time and body, by its registered key.

import { createHash } from 'node:crypto';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Authenticator } from '../../core/model.ts';
import type { PublicJwk } from '../../device-protocol/messages.ts';
import { requestSigningString } from '../../device-protocol/signing.ts';
import { verifyDeviceSignature } from '../../methods/push/device-key.ts';

/** How far a call's signing time may be from the server's clock, either way. */
export const DEVICE_SKEW_MS = 5 * 60_000;
const HEADER = /^Countersign-Device id="([A-Z0-9]{20})", ts="([0-9]{1,16})", sig="([A-Za-z0-9_-]{86})"$/;

export interface DeviceCredentials {
  deviceId: string;
  signedAt: number;
  signature: string;
}

/** Reads the `Countersign-Device` Authorization header; null when it is absent or malformed. */
export function parseDeviceAuthorization(header: string | undefined): DeviceCredentials | null {
  const match = header ? HEADER.exec(header) : null;
  if (!match) return null;
  return { deviceId: match[1]!, signedAt: Number(match[2]), signature: match[3]! };
}

/** The push device `deviceId` while it is bound to a user, or DEVICE_UNAUTHORIZED. */
export async function loadDevice(deps: Pick<CoreDeps, 'store'>, deviceId: string): Promise<Authenticator> {
  const device = await deps.store.authenticators.get(deviceId);
  if (device?.kind !== 'push' || !device.userId)
    throw new CountersignError('DEVICE_UNAUTHORIZED', 'unknown device');
  return device;
}

/** The device that signed this call, or DEVICE_UNAUTHORIZED (which never says which check failed). */
export async function authenticateDevice(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  credentials: DeviceCredentials | null,
  method: string,
  pathAndQuery: string,
  body: string,
): Promise<Authenticator> {
  if (!credentials) throw new CountersignError('DEVICE_UNAUTHORIZED', 'no device credentials');
  if (Math.abs(deps.clock.now() - credentials.signedAt) > DEVICE_SKEW_MS) {
    throw new CountersignError('DEVICE_UNAUTHORIZED', 'signing time too far from the server time');
  }
  const device = await loadDevice(deps, credentials.deviceId);
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const text = requestSigningString(method, pathAndQuery, credentials.signedAt, bodyHash);
  if (!verifyDeviceSignature(device.data.publicKey as PublicJwk, text, credentials.signature)) {
    throw new CountersignError('DEVICE_UNAUTHORIZED', 'bad signature');
  }
  return device;
}
