// Activates a Countersign Authenticator: registers its public key, gives it a TOTP seed, retires a replaced phone.
import { encodeBase32 } from '../../crypto/base32.ts';
import { seal } from '../../crypto/secret-box.ts';
import type { PushSubscriptionData } from '../../device-protocol/messages.ts';
import { parsePublicJwk } from '../../methods/push/device-key.ts';
import { seedContext } from '../../methods/totp/totp-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Authenticator, User } from '../model.ts';
import { activationCodeHash } from './create-activation.ts';

export interface ActivationInput {
  code: string;
  publicKey: unknown;
  name?: string | undefined;
  platform?: string | undefined;
  pushSubscription?: PushSubscriptionData | null | undefined;
}

/** The bus topic a device's live channel listens on. */
export function deviceTopic(deviceId: string): string {
  return `device:${deviceId}`;
}

/** Activates a device once; an unknown, used or expired code is ACTIVATION_INVALID without saying which. */
export async function activateDevice(
  deps: CoreDeps,
  input: ActivationInput,
): Promise<{ device: Authenticator; user: User; totpSecret: string }> {
  const publicKey = parsePublicJwk(input.publicKey);
  if (!publicKey) throw new CountersignError('INVALID_INPUT', 'publicKey must be a P-256 public key (JWK)');
  const now = deps.clock.now();
  const secret = deps.random.bytes(20);
  const result = await deps.store.atomically(async (repos) => {
    const activation = await repos.activations.findByCodeHash(activationCodeHash(input.code));
    const user = activation ? await repos.users.get(activation.userId) : null;
    const id = newId(deps.random, 'D');
    if (!activation || !user || !(await repos.activations.markUsed(activation.id, id, now))) {
      throw new CountersignError(
        'ACTIVATION_INVALID',
        activation ? `activation ${activation.id}` : 'unknown code',
      );
    }
    const device: Authenticator = {
      id,
      userId: user.id,
      kind: 'push',
      name: (input.name ?? activation.name).slice(0, 64),
      serial: null,
      secretSealed: seal(deps.ring, secret, seedContext(id)),
      algorithm: 'sha1',
      digits: 6,
      period: 30,
      counter: 0,
      lastUsedStep: null,
      data: {
        publicKey,
        platform: (input.platform ?? 'unknown').slice(0, 64),
        pushSubscription: input.pushSubscription ?? null,
        activatedAt: now,
      },
      createdAt: now,
      lastUsedAt: null,
    };
    await repos.authenticators.create(device);
    // Reactivation: the old phone's key and seed stop working in the same database transaction.
    if (activation.replacesDeviceId) await repos.authenticators.remove(activation.replacesDeviceId);
    await audit(repos, now, {
      kind: 'enrollment',
      action: 'device.activate',
      userId: user.id,
      username: user.username,
      detail: { deviceId: id, replaced: activation.replacesDeviceId, activationId: activation.id },
    });
    return { device, user };
  });
  if (result.device.data.publicKey) {
    await deps.bus.publish({
      topic: `activation:${result.user.id}`,
      payload: { deviceId: result.device.id },
    });
  }
  return { ...result, totpSecret: encodeBase32(secret, { pad: false }) };
}
