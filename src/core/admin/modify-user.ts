// Changes a user's names, contact details, notes and status on behalf of an administrator, in one audited step.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { User, UserStatus } from '../model.ts';
import { requireUsername } from '../usernames.ts';
import { applyUserStatus } from './create-user.ts';

/** The fields an administrator may change; an absent field stays as it is, null clears it. */
export interface UserChange {
  username?: string;
  aliases?: string[];
  realName?: string | null;
  email?: string | null;
  notes?: string | null;
  status?: UserStatus;
}

/**
 * Applies `change` to `user` in one database transaction and one `user.update` audit entry naming the changed
 * fields; returns the user as stored afterwards. Names are checked as at creation (INVALID_USERNAME, USER_EXISTS).
 */
export async function modifyUser(
  deps: CoreDeps,
  actor: string,
  user: User,
  change: UserChange,
): Promise<User> {
  const { status, ...fields } = change;
  // Refused names fail here, before anything is written.
  if (fields.username !== undefined) fields.username = requireUsername(fields.username).name;
  if (fields.aliases !== undefined)
    fields.aliases = fields.aliases.map((alias) => requireUsername(alias).name);
  const now = deps.clock.now();
  return deps.store.atomically(async (repos) => {
    await repos.users.update(user.id, fields);
    if (status !== undefined && status !== user.status) await applyUserStatus(repos, user, status, now);
    const updated = await repos.users.get(user.id);
    if (!updated) throw new CountersignError('USER_NOT_FOUND', user.id);
    const changed = (Object.keys(change) as Array<keyof UserChange>).filter(
      (key) => change[key] !== undefined,
    );
    await audit(repos, now, {
      kind: 'admin',
      action: 'user.update',
      actor,
      userId: user.id,
      username: updated.username,
      detail: {
        changed,
        ...(updated.username !== user.username && { renamedFrom: user.username }),
        ...(status !== undefined && status !== user.status && { status: { from: user.status, to: status } }),
      },
    });
    return updated;
  });
}
