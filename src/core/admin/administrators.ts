// Administrators on behalf of an owner (console, Admin API) or the CLI: add, change the role, remove; audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { ADMIN_ROLES, type Administrator, type AdminRole, type User } from '../model.ts';
import type { Repositories } from '../repositories.ts';

/** An administrator with the user behind it. */
export interface AdministratorView {
  admin: Administrator;
  user: User;
}

/** The role named `value`, or INVALID_INPUT listing the known ones. */
export function parseRole(value: string): AdminRole {
  if ((ADMIN_ROLES as readonly string[]).includes(value)) return value as AdminRole;
  throw new CountersignError('INVALID_INPUT', `role '${value}' is not one of ${ADMIN_ROLES.join(', ')}`);
}

/** Every administrator with their user, oldest first. */
export async function listAdministrators(deps: Pick<CoreDeps, 'store'>): Promise<AdministratorView[]> {
  const admins = await deps.store.administrators.list();
  const users = new Map(
    (await deps.store.users.getMany(admins.map((admin) => admin.userId))).map((user) => [user.id, user]),
  );
  return admins.flatMap((admin) => {
    const user = users.get(admin.userId);
    return user ? [{ admin, user }] : [];
  });
}

/** Makes `user` an administrator with `role`; INVALID_INPUT when they already are one. */
export async function addAdministrator(
  deps: CoreDeps,
  actor: string,
  user: User,
  role: AdminRole,
): Promise<Administrator> {
  const admin: Administrator = { userId: user.id, role, createdAt: deps.clock.now() };
  await deps.store.atomically(async (repos) => {
    if (!(await repos.administrators.add(admin))) {
      throw new CountersignError('INVALID_INPUT', `${user.username} is already an administrator`);
    }
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'admin.add',
      actor,
      userId: user.id,
      username: user.username,
      detail: { role },
    });
  });
  return admin;
}

/** Fails unless an owner is left: without one nobody could manage administrators from the console. */
async function keepAnOwner(repos: Repositories): Promise<void> {
  if ((await repos.administrators.count('owner')) === 0) {
    throw new CountersignError('INVALID_INPUT', 'the last owner cannot be removed or given another role');
  }
}

/** The administrator record of `user`, or INVALID_INPUT saying they are not one. */
async function requireAdministrator(repos: Repositories, user: User): Promise<Administrator> {
  const admin = await repos.administrators.get(user.id);
  if (!admin) throw new CountersignError('INVALID_INPUT', `${user.username} is not an administrator`);
  return admin;
}

/** Gives administrator `user` another role; the last owner keeps theirs. */
export async function setAdministratorRole(
  deps: CoreDeps,
  actor: string,
  user: User,
  role: AdminRole,
): Promise<Administrator> {
  return deps.store.atomically(async (repos) => {
    await repos.administrators.lockAll();
    const before = await requireAdministrator(repos, user);
    await repos.administrators.setRole(user.id, role);
    if (before.role === 'owner') await keepAnOwner(repos);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'admin.set-role',
      actor,
      userId: user.id,
      username: user.username,
      detail: { from: before.role, to: role },
    });
    return { ...before, role };
  });
}

/** Takes the role away from `user` (the user stays); returns false when they were not an administrator. */
export async function removeAdministrator(deps: CoreDeps, actor: string, user: User): Promise<boolean> {
  return deps.store.atomically(async (repos) => {
    await repos.administrators.lockAll();
    const before = await repos.administrators.get(user.id);
    if (!before) return false;
    await repos.administrators.remove(user.id);
    if (before.role === 'owner') await keepAnOwner(repos);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'admin.remove',
      actor,
      userId: user.id,
      username: user.username,
      detail: { role: before.role },
    });
    return true;
  });
}
