// Browser sessions for the portal and the prompt: created at sign-in, stepped up by a second factor, revocable.
import type { CoreDeps } from '../deps.ts';
import type { User, WebSession } from '../model.ts';
import { isTokenShaped, newToken, tokenId } from './tokens.ts';

/** Portal sessions end after 30 idle-free minutes… kept simple: an absolute lifetime. */
export const SESSION_TTL_MS = 30 * 60_000;

/** Starts a session (a new token at every sign-in, ASVS 3.2.1); returns the cookie token once. */
export async function startWebSession(
  deps: CoreDeps,
  user: User,
  kind: WebSession['kind'],
  options: { ttlMs?: number; mfa?: boolean; data?: Record<string, unknown> } = {},
): Promise<{ session: WebSession; token: string }> {
  const now = deps.clock.now();
  const { token, id } = newToken(deps.random);
  const session: WebSession = {
    id,
    userId: user.id,
    kind,
    csrf: deps.random.bytes(24).toString('base64url'),
    createdAt: now,
    expiresAt: now + (options.ttlMs ?? SESSION_TTL_MS),
    mfaAt: options.mfa ? now : null,
    revokedAt: null,
    data: options.data ?? {},
  };
  await deps.store.webSessions.create(session);
  return { session, token };
}

/** The live session behind a cookie token, or null. */
export async function loadWebSession(deps: CoreDeps, token: string | undefined): Promise<WebSession | null> {
  if (!isTokenShaped(token)) return null;
  return deps.store.webSessions.getActive(tokenId(token), deps.clock.now());
}

/** Records that the session's user just completed a second factor. */
export async function stepUp(deps: CoreDeps, session: WebSession): Promise<WebSession> {
  const mfaAt = deps.clock.now();
  await deps.store.webSessions.update(session.id, { mfaAt });
  return { ...session, mfaAt };
}

/** True when the session completed a second factor within `withinMs`. */
export function recentlySteppedUp(session: WebSession, now: number, withinMs = 15 * 60_000): boolean {
  return session.mfaAt !== null && now - session.mfaAt <= withinMs;
}

/** Ends one session (sign out). */
export async function endWebSession(deps: CoreDeps, session: WebSession): Promise<void> {
  await deps.store.webSessions.revoke(session.id, deps.clock.now());
}
