// Creates and changes users on behalf of an administrator (or a directory sync), audited.
import { hashPassword } from '../../primary/local-password.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { User, UserStatus } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { requireUsername } from '../usernames.ts';
import { revokeBrowserAccess } from '../web/remembered.ts';

export interface NewUser {
  username: string;
  aliases?: string[];
  realName?: string | null;
  email?: string | null;
  phone?: string | null;
  groups?: string[];
  status?: UserStatus;
  password?: string;
  directory?: string | null;
  notes?: string | null;
}

/**
 * Creates a user under the canonical form of its username and aliases (docs/usernames.md); a refused name is
 * INVALID_USERNAME, a name whose key is taken is USER_EXISTS.
 */
export async function createUser(deps: CoreDeps, actor: string, input: NewUser): Promise<User> {
  const now = deps.clock.now();
  const user: User = {
    id: newId(deps.random, 'DU'),
    username: requireUsername(input.username).name,
    aliases: (input.aliases ?? []).map((alias) => requireUsername(alias).name),
    realName: input.realName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    groups: input.groups ?? [],
    status: input.status ?? 'active',
    passwordHash: input.password ? await hashPassword(input.password) : null,
    directory: input.directory ?? null,
    failedAttempts: 0,
    lockedAt: null,
    createdAt: now,
    lastLoginAt: null,
    notes: input.notes ?? null,
  };
  await deps.store.atomically(async (repos) => {
    await repos.users.create(user);
    await audit(repos, now, {
      kind: 'admin',
      action: 'user.create',
      actor,
      userId: user.id,
      username: user.username,
    });
  });
  return user;
}

/** Finds a user by id or by username/alias, or fails with USER_NOT_FOUND (INVALID_USERNAME for a refused name). */
export async function requireUser(deps: Pick<CoreDeps, 'store'>, idOrName: string): Promise<User> {
  const user = (await deps.store.users.get(idOrName)) ?? (await deps.store.users.findByName(idOrName));
  if (!user) throw new CountersignError('USER_NOT_FOUND', idOrName);
  return user;
}

/**
 * Moves `user` to `status` inside `repos`: a disabled user's remembered browsers and portal sessions end with
 * it (SECURITY.md, sessions).
 */
export async function applyUserStatus(
  repos: Repositories,
  user: User,
  status: UserStatus,
  now: number,
): Promise<void> {
  await repos.users.setStatus(user.id, status);
  if (status === 'disabled') await revokeBrowserAccess(repos, user.id, now);
}

/** Sets a user's status (active, bypass, disabled; locked_out is set by the system but may be set by hand). */
export async function setUserStatus(
  deps: CoreDeps,
  actor: string,
  user: User,
  status: UserStatus,
): Promise<void> {
  await deps.store.atomically(async (repos) => {
    await applyUserStatus(repos, user, status, deps.clock.now());
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'user.set-status',
      actor,
      userId: user.id,
      username: user.username,
      detail: { from: user.status, to: status },
    });
  });
}

/** Sets a user's local password (argon2id). */
export async function setUserPassword(
  deps: CoreDeps,
  actor: string,
  user: User,
  password: string,
): Promise<void> {
  if (password.length === 0) throw new CountersignError('INVALID_INPUT', 'the password must not be empty');
  const passwordHash = await hashPassword(password);
  await deps.store.atomically(async (repos) => {
    await repos.users.update(user.id, { passwordHash });
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'user.set-password',
      actor,
      userId: user.id,
      username: user.username,
    });
  });
}
