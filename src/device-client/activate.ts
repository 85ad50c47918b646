// Activates the Node client as a Countersign Authenticator: a new extractable key pair, registered by code.
import { parseActivation } from '../device-protocol/activation-link.ts';
import type { ActivateRequest, ActivateResponse } from '../device-protocol/messages.ts';
import { exportPublicKey, generateDeviceKeyPair } from '../device-protocol/signing.ts';
import type { DeviceAccount, PrivateJwk } from './account.ts';
import { DeviceInputError } from './errors.ts';
import { deviceApiUrl, readJson, send } from './http.ts';

export interface ActivateOptions {
  /** The device name administrators see (default "Countersign device client"). */
  name?: string;
  /** Default `node-<os>`. */
  platform?: string;
  fetch?: typeof fetch;
}

/** Activates with an activation link or `code@server` text; returns the account to save (with its private key). */
export async function activateDevice(
  linkOrCode: string,
  options: ActivateOptions = {},
): Promise<DeviceAccount> {
  const parsed = parseActivation(linkOrCode);
  if (!parsed) {
    throw new DeviceInputError(
      'not an activation link (<server>/activate/#code=<code> or <server>/app/#activate=<code>) or <code>@<server-url> text',
    );
  }
  const name = options.name ?? 'Countersign device client';
  if (name.length === 0 || name.length > 64)
    throw new DeviceInputError('the device name must be 1 to 64 characters');
  // Extractable: the Node client keeps the private key in its account file (the app keeps it in IndexedDB).
  const keys = await generateDeviceKeyPair(true);
  const publicJwk = await exportPublicKey(keys.publicKey);
  const { d } = await globalThis.crypto.subtle.exportKey('jwk', keys.privateKey);
  if (typeof d !== 'string') throw new Error('WebCrypto exported a private key without d');
  const request: ActivateRequest = {
    code: parsed.code,
    publicKey: publicJwk,
    name,
    platform: options.platform ?? `node-${process.platform}`,
  };
  const { url, path } = deviceApiUrl(parsed.serverUrl, '/activate');
  const response = await send(options.fetch ?? fetch, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const activated = await readJson<ActivateResponse>(response, `POST ${path}`);
  const privateJwk: PrivateJwk = { ...publicJwk, d };
  return {
    // The server we reached, not the one it names: behind a proxy its own idea of its URL may be wrong.
    serverUrl: parsed.serverUrl,
    deviceId: activated.deviceId,
    username: activated.username,
    organization: activated.organization,
    name,
    privateJwk,
    publicJwk,
    totp: activated.totp,
  };
}
