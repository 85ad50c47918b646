// A user's own device management: rename, remove (which also ends remembered logins), audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Authenticator, User } from '../model.ts';

const NAME_MAX = 60;

/** The user's device `id`, or DEVICE_NOT_FOUND (also for someone else's device: no probing). */
export async function ownDevice(
  deps: Pick<CoreDeps, 'store'>,
  user: User,
  id: string,
): Promise<Authenticator> {
  const device = await deps.store.authenticators.get(id);
  if (!device || device.userId !== user.id) throw new CountersignError('DEVICE_NOT_FOUND', id);
  return device;
}

/** Checks a device name: 1–60 visible characters, no control characters. */
export function checkDeviceName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name.length === 0 || name.length > NAME_MAX || /[\p{Cc}]/u.test(name)) {
    throw new CountersignError('INVALID_INPUT', `name: 1 to ${NAME_MAX} characters, no control characters`);
  }
  return name;
}

/** Renames one of the user's devices. */
export async function renameDevice(
  deps: CoreDeps,
  actor: string,
  user: User,
  id: string,
  rawName: unknown,
): Promise<Authenticator> {
  const name = checkDeviceName(rawName);
  const device = await ownDevice(deps, user, id);
  const now = deps.clock.now();
  await deps.store.atomically(async (repos) => {
    await repos.authenticators.rename(id, name);
    await audit(repos, now, {
      kind: 'enrollment',
      action: 'device.rename',
      actor,
      userId: user.id,
      username: user.username,
      detail: { authenticatorId: id, from: device.name, to: name },
    });
  });
  return { ...device, name };
}

/**
 * Removes one of the user's devices and revokes the user's remembered logins (a lost phone must not leave a
 * remembered browser behind); browser sessions, the current one included, stay.
 */
export async function removeDevice(
  deps: CoreDeps,
  actor: string,
  user: User,
  id: string,
): Promise<Authenticator> {
  const device = await ownDevice(deps, user, id);
  // Hardware tokens belong to the organization: the help desk unassigns them.
  if (device.serial !== null)
    throw new CountersignError('FACTOR_NOT_ALLOWED', 'hardware tokens are removed by the help desk');
  const now = deps.clock.now();
  await deps.store.atomically(async (repos) => {
    await repos.authenticators.remove(id);
    const revoked = await repos.rememberedLogins.revokeAllForUser(user.id, now);
    await audit(repos, now, {
      kind: 'enrollment',
      action: 'device.remove',
      actor,
      userId: user.id,
      username: user.username,
      detail: { authenticatorId: id, kind: device.kind, name: device.name, rememberedRevoked: revoked },
    });
  });
  return device;
}
