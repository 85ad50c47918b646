// Deletes a user's software authenticator on behalf of an administrator (a lost or replaced phone), audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';

/**
 * Deletes software authenticator `id` and revokes its owner's remembered browsers (a lost phone must not leave
 * one behind); false, recording nothing, when it is already gone. Hardware tokens are deleted as tokens.
 */
export async function deleteDevice(deps: CoreDeps, actor: string, id: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.atomically(async (repos) => {
    const device = await repos.authenticators.get(id);
    if (!device) return false;
    if (device.serial !== null) throw new CountersignError('DEVICE_NOT_FOUND', `${id} is a hardware token`);
    await repos.authenticators.remove(id);
    const user = device.userId === null ? null : await repos.users.get(device.userId);
    const revoked = user ? await repos.rememberedLogins.revokeAllForUser(user.id, now) : 0;
    await audit(repos, now, {
      kind: 'admin',
      action: 'device.delete',
      actor,
      userId: user?.id ?? null,
      username: user?.username ?? null,
      detail: { authenticatorId: id, kind: device.kind, name: device.name, rememberedRevoked: revoked },
    });
    return true;
  });
}
