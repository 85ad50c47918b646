// The server's VAPID key pair (RFC 8292): made on first use, kept in settings with the private half sealed.
import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../core/repositories.ts';
import type { KeyRing } from '../../crypto/keyring.ts';
import { open, seal } from '../../crypto/secret-box.ts';

/** The settings key holding the key pair. */
export const VAPID_SETTING = 'vapid';
/** The sealing context binding the private key to its place. */
export const VAPID_SEAL_CONTEXT = 'vapid:private';

/** As stored: the public key in the clear (devices subscribe with it), the private key sealed. */
export interface StoredVapidKeys {
  /** Uncompressed P-256 point, base64url (the `applicationServerKey` of the Push API). */
  publicKey: string;
  privateKeySealed: string;
  createdAt: number;
}

/** The key pair in the form `web-push` signs with: both halves base64url. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** Thrown when the stored key pair cannot be read (a missing key-ring key, or damaged settings). */
export class VapidKeyError extends Error {
  override name = 'VapidKeyError';
}

function isStored(value: unknown): value is StoredVapidKeys {
  const v = value as StoredVapidKeys | null;
  return typeof v?.publicKey === 'string' && typeof v.privateKeySealed === 'string';
}

function unseal(stored: StoredVapidKeys, ring: KeyRing): VapidKeys {
  try {
    const privateKey = open(ring, stored.privateKeySealed, VAPID_SEAL_CONTEXT).toString('base64url');
    return { publicKey: stored.publicKey, privateKey };
  } catch (error) {
    throw new VapidKeyError(
      `settings '${VAPID_SETTING}': the private key cannot be opened (${(error as Error).message})`,
    );
  }
}

/**
 * Reads the key pair, creating and storing one when there is none. Runs in one store transaction so two
 * nodes starting together agree on a single pair.
 */
export async function loadOrCreateVapidKeys(deps: {
  store: Store;
  ring: KeyRing;
  clock: Clock;
}): Promise<VapidKeys> {
  return deps.store.atomically(async (repos) => {
    const existing = await repos.settings.get<unknown>(VAPID_SETTING);
    if (existing !== null) {
      if (!isStored(existing)) throw new VapidKeyError(`settings '${VAPID_SETTING}' is not a VAPID key pair`);
      return unseal(existing, deps.ring);
    }
    // Loaded here, the first time a key pair is needed, not with the server (issue 14, idle memory).
    const { default: webPush } = await import('web-push');
    const fresh = webPush.generateVAPIDKeys();
    const stored: StoredVapidKeys = {
      publicKey: fresh.publicKey,
      privateKeySealed: seal(deps.ring, Buffer.from(fresh.privateKey, 'base64url'), VAPID_SEAL_CONTEXT),
      createdAt: deps.clock.now(),
    };
    await repos.settings.set(VAPID_SETTING, stored);
    return fresh;
  });
}
