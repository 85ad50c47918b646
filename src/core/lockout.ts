// Lockout: consecutive failures lock an account (800-63B §5.2.2); optional automatic unlock after a while.
import type { Policy, User } from './model.ts';
import type { Repositories } from './repositories.ts';

/** Unlocks a locked-out user whose auto-unlock time has passed; returns the user as it now stands. */
export async function applyAutoUnlock(
  repos: Repositories,
  user: User,
  policy: Policy,
  now: number,
): Promise<User> {
  if (user.status !== 'locked_out' || policy.autoUnlockMinutes === null || user.lockedAt === null)
    return user;
  if (now < user.lockedAt + policy.autoUnlockMinutes * 60_000) return user;
  await repos.users.setStatus(user.id, 'active');
  return { ...user, status: 'active', failedAttempts: 0, lockedAt: null };
}
