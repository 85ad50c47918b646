// Activation from the app: a fresh non-extractable key pair, registered with the server by the single-use code.
import { parseActivation } from '../../src/device-protocol/activation-link.ts';
import { exportPublicKey, generateDeviceKeyPair } from '../../src/device-protocol/signing.ts';
import { type Account, type AccountStore, accountId } from './accounts-db.ts';
import { activate } from './device-api.ts';
import { subscribeForPush } from './push-subscription.ts';

/** Text that is neither an activation link nor `code@server`. */
export class ActivationInputError extends Error {
  override name = 'ActivationInputError';
}

/** A short description of this device for administrators ("Chrome on Android"). */
function platformName(): string {
  const agent = navigator.userAgent;
  const os = /Android/.test(agent)
    ? 'Android'
    : /iPhone|iPad/.test(agent)
      ? 'iOS'
      : /Mac OS X/.test(agent)
        ? 'macOS'
        : /Windows/.test(agent)
          ? 'Windows'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'unknown';
  return `web-${os}`.slice(0, 64);
}

/** Activates with a link or `code@server` text, stores the account, and returns it. */
export async function addAccount(text: string, store: AccountStore, now: () => number): Promise<Account> {
  const parsed = parseActivation(text);
  if (!parsed) {
    throw new ActivationInputError(
      'That is not an activation link. Paste the whole link (…/app/#activate=…) or the code@server text.',
    );
  }
  // generateDeviceKeyPair(false): the private key can sign, but no script (not even ours) can ever export it.
  const keys = await generateDeviceKeyPair(false);
  const [publicKey, pushSubscription] = await Promise.all([
    exportPublicKey(keys.publicKey),
    subscribeForPush(parsed.serverUrl),
  ]);
  const response = await activate(parsed.serverUrl, {
    code: parsed.code,
    publicKey,
    name: 'Countersign Authenticator',
    platform: platformName(),
    pushSubscription,
  });
  const serverUrl = parsed.serverUrl;
  const account: Account = {
    id: accountId(serverUrl, response.deviceId),
    serverUrl,
    deviceId: response.deviceId,
    organization: response.organization,
    username: response.username,
    realName: response.realName,
    totp: response.totp,
    privateKey: keys.privateKey,
    addedAt: now(),
  };
  await store.put(account);
  return account;
}
