// Primary (password) authentication for fronts that ask for one: the user's own password source decides.
import { burnPasswordCheck, verifyPassword } from '../primary/local-password.ts';
import type { PasswordCheck } from '../primary/password-source.ts';
import { audit } from './audit.ts';
import type { CoreDeps } from './deps.ts';
import { policyFor } from './evaluate-access.ts';
import type { Application, User } from './model.ts';

/** Checks a user's password wherever it lives (locally, or in the directory the user came from). */
export interface PrimaryAuth {
  check(user: User, password: string): Promise<PasswordCheck>;
}

/** Local passwords only (argon2id). */
export const localPrimaryAuth: PrimaryAuth = {
  async check(user, password) {
    if (user.passwordHash === null) {
      await burnPasswordCheck(password);
      return 'bad';
    }
    return (await verifyPassword(user.passwordHash, password)) ? 'ok' : 'bad';
  },
};

export type PrimaryResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'bad_credentials' | 'unavailable'; user: User | null };

/**
 * Checks a username and password for `app`. Unknown users cost the same time as known ones, and every failure
 * is audited and counted toward lockout (800-63B §5.2.2 applies to passwords too).
 */
export async function verifyPrimary(
  deps: CoreDeps,
  app: Application,
  username: string,
  password: string,
  ip: string | null,
): Promise<PrimaryResult> {
  const user = await deps.store.users.findByName(username);
  const base = { kind: 'auth', action: 'primary', applicationId: app.id, factor: 'password', ip } as const;
  if (!user) {
    await burnPasswordCheck(password);
    await audit(deps.store, deps.clock.now(), {
      ...base,
      username,
      result: 'failure',
      reason: 'unknown_user',
    });
    return { ok: false, reason: 'bad_credentials', user: null };
  }
  const checked = await deps.primary.check(user, password);
  if (checked === 'ok') return { ok: true, user };
  const now = deps.clock.now();
  const who = { userId: user.id, username: user.username };
  if (checked === 'unavailable') {
    await audit(deps.store, now, { ...base, ...who, result: 'error', reason: 'directory_unavailable' });
    return { ok: false, reason: 'unavailable', user };
  }
  await deps.store.atomically(async (repos) => {
    const policy = await policyFor(repos, app, user);
    await repos.users.recordFailure(user.id, now, policy.lockoutThreshold);
    await audit(repos, now, { ...base, ...who, result: 'failure', reason: 'bad_password' });
  });
  return { ok: false, reason: 'bad_credentials', user };
}
