// Groups and their members on behalf of an administrator: create, delete, add a member, remove one; audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Group, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';

const GROUP_NAME = /^[\p{L}\p{N} ._@+-]{1,128}$/u;

/** Why `name` cannot name a new group, or null: 1–128 letters, digits, spaces and `._@+-`. */
export function groupNameProblem(name: string): string | null {
  return GROUP_NAME.test(name)
    ? null
    : `group name '${name}' is not valid: use 1 to 128 letters, digits, spaces and . _ @ + -`;
}

/** Users per page while a deleted group is taken off its members. */
const PAGE = 500;

/** Creates an empty group with no policy of its own; an existing name is INVALID_INPUT. */
export async function createGroup(deps: CoreDeps, actor: string, name: string): Promise<Group> {
  const problem = groupNameProblem(name);
  if (problem) throw new CountersignError('INVALID_INPUT', problem);
  const group: Group = { name, policy: {} };
  await deps.store.atomically(async (repos) => {
    if (await repos.groups.get(name)) {
      throw new CountersignError('INVALID_INPUT', `name: a group named '${name}' already exists`);
    }
    await repos.groups.upsert(group);
    await audit(repos, deps.clock.now(), { kind: 'admin', action: 'group.create', actor, detail: { name } });
  });
  return group;
}

/**
 * Deletes group `name` and takes it off every member, in one database transaction; returns false, recording
 * nothing, when neither the group nor a member exists (a repeated DELETE succeeds).
 */
export async function deleteGroup(deps: CoreDeps, actor: string, name: string): Promise<boolean> {
  return deps.store.atomically(async (repos) => {
    const existed = await repos.groups.remove(name);
    let members = 0;
    // Always the first page: each member leaves the group as it is updated.
    for (;;) {
      const page = await repos.users.list({ limit: PAGE, offset: 0 }, { group: name });
      for (const user of page) {
        await repos.users.update(user.id, { groups: user.groups.filter((group) => group !== name) });
      }
      members += page.length;
      if (page.length < PAGE) break;
    }
    if (!existed && members === 0) return false;
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'group.delete',
      actor,
      detail: { name, members },
    });
    return true;
  });
}

/** The group `name` as stored, or GROUP_NOT_FOUND. */
export async function requireGroup(repos: Pick<Repositories, 'groups'>, name: string): Promise<Group> {
  const group = await repos.groups.get(name);
  if (!group) throw new CountersignError('GROUP_NOT_FOUND', name);
  return group;
}

async function changeMembership(
  deps: CoreDeps,
  actor: string,
  user: User,
  name: string,
  join: boolean,
): Promise<User> {
  return deps.store.atomically(async (repos) => {
    if (join) await requireGroup(repos, name);
    const current = await repos.users.get(user.id);
    if (!current) throw new CountersignError('USER_NOT_FOUND', user.id);
    const member = current.groups.includes(name);
    if (member === join) return current;
    const groups = join ? [...current.groups, name] : current.groups.filter((group) => group !== name);
    await repos.users.update(user.id, { groups });
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: join ? 'group.add-member' : 'group.remove-member',
      actor,
      userId: user.id,
      username: current.username,
      detail: { group: name },
    });
    return { ...current, groups };
  });
}

/** Makes `user` a member of the existing group `name` (GROUP_NOT_FOUND otherwise); a member already stays one. */
export function addUserToGroup(deps: CoreDeps, actor: string, user: User, name: string): Promise<User> {
  return changeMembership(deps, actor, user, name, true);
}

/** Takes `user` out of group `name`; a user who is not a member is left as is. */
export function removeUserFromGroup(deps: CoreDeps, actor: string, user: User, name: string): Promise<User> {
  return changeMembership(deps, actor, user, name, false);
}
