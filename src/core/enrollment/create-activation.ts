// Issues a single-use, expiring activation code that binds a Countersign Authenticator to a user.
import { createHash } from 'node:crypto';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Activation, User } from '../model.ts';

/** Default life of an activation code: 24 hours. */
export const ACTIVATION_TTL_SECONDS = 86_400;

/** The stored form of an activation code: a 128-bit random code needs no salt, only a one-way hash. */
export function activationCodeHash(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}

/**
 * The code's text from its 128 random bits. It never begins with '-': a command line (`countersign device activate
 * CODE@URL`) reads that as an option, so a leading '-' (1 code in 64) becomes '_' (costs under 0.03 bits).
 */
export function activationCode(bytes: Buffer): string {
  const text = bytes.toString('base64url');
  return text.startsWith('-') ? `_${text.slice(1)}` : text;
}

export interface NewActivation {
  name?: string;
  /** Reactivation on a new phone: this device's credentials stop working when the new one activates. */
  replacesDeviceId?: string | null;
  validSeconds?: number;
  /** An administrator created it for the user: the audit entry is then of kind `admin`. */
  byAdministrator?: boolean;
}

/** Creates an activation; returns it and the code to put in the QR link (shown once, stored hashed). */
export async function createActivation(
  deps: CoreDeps,
  actor: string,
  user: User,
  options: NewActivation = {},
): Promise<{ activation: Activation; code: string }> {
  const validSeconds = options.validSeconds ?? ACTIVATION_TTL_SECONDS;
  if (!Number.isInteger(validSeconds) || validSeconds < 60 || validSeconds > 30 * 86_400) {
    throw new CountersignError('INVALID_INPUT', 'an activation must be valid for 60 seconds to 30 days');
  }
  const now = deps.clock.now();
  const code = activationCode(deps.random.bytes(16));
  const activation: Activation = {
    id: newId(deps.random, 'DV'),
    codeHash: activationCodeHash(code),
    userId: user.id,
    replacesDeviceId: options.replacesDeviceId ?? null,
    name: options.name ?? 'Countersign Authenticator',
    createdAt: now,
    expiresAt: now + validSeconds * 1000,
    usedAt: null,
    deviceId: null,
  };
  await deps.store.atomically(async (repos) => {
    if (activation.replacesDeviceId) {
      const device = await repos.authenticators.get(activation.replacesDeviceId);
      if (!device || device.userId !== user.id || device.kind !== 'push') {
        throw new CountersignError('DEVICE_NOT_FOUND', activation.replacesDeviceId);
      }
    }
    await repos.activations.create(activation);
    await audit(repos, now, {
      kind: options.byAdministrator ? 'admin' : 'enrollment',
      action: 'activation.create',
      actor,
      userId: user.id,
      username: user.username,
      detail: {
        activationId: activation.id,
        replaces: activation.replacesDeviceId,
        expiresAt: activation.expiresAt,
      },
    });
  });
  return { activation, code };
}
