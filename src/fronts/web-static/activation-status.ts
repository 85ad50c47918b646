// Whether an activation code has been used yet: what the activation page polls while the user scans the QR code.
import type { CoreDeps } from '../../core/deps.ts';
import { activationCodeHash } from '../../core/enrollment/create-activation.ts';

export type ActivationStatus = 'waiting' | 'success' | 'invalid';

/** `success` once a device used the code, `waiting` while it is unused and unexpired, else `invalid`. */
export async function activationStatus(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  code: string,
): Promise<ActivationStatus> {
  // Codes are 128 random bits, stored hashed: knowing one is the only way to ask about it.
  const activation = await deps.store.activations.findByCodeHash(activationCodeHash(code));
  if (!activation) return 'invalid';
  if (activation.usedAt !== null) return 'success';
  return activation.expiresAt > deps.clock.now() ? 'waiting' : 'invalid';
}
