// The users who own a page of devices, read in one query.
import type { CoreDeps } from '../../core/deps.ts';
import type { Authenticator, User } from '../../core/model.ts';

/** The owners of a page of devices, by id (one query). */
export async function owners(
  deps: Pick<CoreDeps, 'store'>,
  devices: readonly Authenticator[],
): Promise<Map<string, User>> {
  const ids = devices.map((device) => device.userId).filter((id): id is string => id !== null);
  return new Map((await deps.store.users.getMany(ids)).map((user) => [user.id, user]));
}

/** The owner of `device` among those read, or null for an unassigned token. */
export const ownerOf = (map: Map<string, User>, device: Authenticator) =>
  device.userId === null ? null : (map.get(device.userId) ?? null);
