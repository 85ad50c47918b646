// Deletes a user and everything that is theirs, audited; deleting a user who is already gone succeeds.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';

/**
 * Deletes user `id` with their devices, codes, sessions and memberships (the audit log keeps their history);
 * returns false, and records nothing, when there was no such user (Duo: a repeated DELETE succeeds).
 */
export async function deleteUser(deps: CoreDeps, actor: string, id: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.atomically(async (repos) => {
    const user = await repos.users.get(id);
    if (!user) return false;
    await repos.users.remove(id);
    await audit(repos, now, {
      kind: 'admin',
      action: 'user.delete',
      actor,
      userId: user.id,
      username: user.username,
      detail: { groups: user.groups, directory: user.directory },
    });
    return true;
  });
}
