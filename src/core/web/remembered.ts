// "Remember me": a browser that completed MFA skips it within the policy's window, until revoked.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import type { Application, Policy, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { isTokenShaped, newToken, tokenId } from './tokens.ts';

/**
 * Remembers this browser for `user` per policy, through `repos` (the store, or a transaction's); returns the cookie
 * token and its expiry, or null when off.
 */
export async function rememberLogin(
  repos: Pick<Repositories, 'rememberedLogins'>,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  user: User,
  app: Application,
  policy: Policy,
): Promise<{ token: string; expiresAt: number } | null> {
  if (policy.rememberScope === 'off' || policy.rememberHours <= 0) return null;
  const now = deps.clock.now();
  const { token, id } = newToken(deps.random);
  const expiresAt = now + policy.rememberHours * 3_600_000;
  await repos.rememberedLogins.create({
    id,
    userId: user.id,
    applicationId: policy.rememberScope === 'application' ? app.id : null,
    createdAt: now,
    expiresAt,
    revokedAt: null,
  });
  return { token, expiresAt };
}

/** True when `token` remembers `user` for `app` now, under the current policy. */
export async function isRemembered(
  deps: CoreDeps,
  token: string | undefined,
  user: User,
  app: Application,
  policy: Policy,
): Promise<boolean> {
  if (policy.rememberScope === 'off' || !isTokenShaped(token)) return false;
  const login = await deps.store.rememberedLogins.getActive(tokenId(token), deps.clock.now());
  if (!login || login.userId !== user.id) return false;
  // A per-application policy does not honour a login remembered for another application, and vice versa.
  if (policy.rememberScope === 'application') return login.applicationId === app.id;
  return login.applicationId === null || login.applicationId === app.id;
}

/**
 * Ends every browser session (portal, prompt, single sign-on) and remembered login of a user ("sign out
 * everywhere"), and everything the OpenID provider issued them (sessions, grants, refresh tokens), inside `repos`.
 */
export async function revokeBrowserAccess(repos: Repositories, userId: string, now: number): Promise<number> {
  const sessions = await repos.webSessions.revokeAllForUser(userId, now);
  const remembered = await repos.rememberedLogins.revokeAllForUser(userId, now);
  await repos.oidcArtifacts.revokeByAccount(userId);
  return sessions + remembered;
}

/** "Sign out everywhere", audited. */
export async function signOutEverywhere(deps: CoreDeps, actor: string, user: User): Promise<number> {
  return deps.store.atomically(async (repos) => {
    const ended = await revokeBrowserAccess(repos, user.id, deps.clock.now());
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'user.sign-out-everywhere',
      actor,
      userId: user.id,
      username: user.username,
      detail: { ended },
    });
    return ended;
  });
}
