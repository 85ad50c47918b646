// The portal's session rules: who is signed in, whether a second factor is still owed, and when changes are allowed.
import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Authenticator, User, WebSession } from '../../core/model.ts';
import { endWebSession, loadWebSession, recentlySteppedUp } from '../../core/web/sessions.ts';
import { readCookie, SESSION_COOKIE } from '../web-common/cookies.ts';

/**
 * Which browser session a set of sign-in routes serves: the portal's, or the console's (its own cookie, kind,
 * lifetimes and who may start one). The sign-in, step-up and session routes take it, so there is one login.
 */
export interface SessionFlavor {
  kind: 'portal' | 'console';
  cookie: string;
  sameSite: 'Lax' | 'Strict';
  /** Absolute lifetime; default SESSION_TTL_MS. */
  ttlMs?: number;
  /** A session unused this long ends (the page that uses it records each use: `data.seenAt`). */
  idleMs?: number;
  /** Who may start one (after the password holds); default: every active user. */
  admits?: (deps: CoreDeps, user: User) => Promise<boolean>;
  /** What a push for this session's step-up says it is for. */
  pushType: string;
}

/** The portal's sessions. */
export const PORTAL_SESSION: SessionFlavor = {
  kind: 'portal',
  cookie: SESSION_COOKIE,
  sameSite: 'Lax',
  pushType: 'Portal sign-in',
};

/** Changing factors needs a second factor this recent (SECURITY.md: step-up before changing factors). */
export const STEP_UP_WINDOW_MS = 15 * 60_000;

export interface Signed {
  session: WebSession;
  user: User;
}

/** What the user can already sign in with. */
export interface FactorState {
  authenticators: Authenticator[];
  backupCodes: number;
  /** True once the user has any second factor: from then on a password alone changes nothing. */
  hasFactor: boolean;
}

/** `full` after a portal sign-in; `enroll` for the prompt's inline-enrollment hand-off. */
export function scopeOf(session: WebSession): 'full' | 'enroll' {
  return session.data.scope === 'enroll' ? 'enroll' : 'full';
}

/** A same-origin path to go back to (never `//host` or a scheme: no open redirect), or null. */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return null;
  if (/\p{Cc}/u.test(value) || value.length > 2048) return null;
  return value;
}

/** The user's factors now. */
export async function factorState(deps: CoreDeps, user: User): Promise<FactorState> {
  const [authenticators, codes] = await Promise.all([
    deps.store.authenticators.listForUser(user.id),
    deps.store.bypassCodes.listActive(user.id, deps.clock.now()),
  ]);
  return {
    authenticators,
    backupCodes: codes.length,
    hasFactor: authenticators.length > 0 || codes.length > 0,
  };
}

/** The signed-in session of `flavor` (the portal's by default) and its (active) user, or null. */
export async function currentSession(
  deps: CoreDeps,
  request: FastifyRequest,
  flavor: SessionFlavor = PORTAL_SESSION,
): Promise<Signed | null> {
  const session = await loadWebSession(deps, readCookie(request, flavor.cookie));
  if (session?.kind !== flavor.kind) return null;
  if (flavor.idleMs !== undefined) {
    const seenAt = typeof session.data.seenAt === 'number' ? session.data.seenAt : session.createdAt;
    if (deps.clock.now() - seenAt > flavor.idleMs) {
      await endWebSession(deps, session);
      return null;
    }
  }
  const user = await deps.store.users.get(session.userId);
  // Disabling a user revokes sessions already; a locked-out user must not manage factors either.
  if (!user || user.status === 'disabled' || user.status === 'locked_out') return null;
  return { session, user };
}

export interface Requirement {
  /** `view`: a second factor at sign-in when the user has one; `change`: one within the last 15 minutes. */
  level: 'view' | 'change';
  /** Refuse enrollment-only sessions. */
  full?: boolean;
}

/** Throws unless the session may do what `need` says (401 when signed out, 403 when a second factor is owed). */
export async function requireAccess(
  deps: CoreDeps,
  request: FastifyRequest,
  need: Requirement,
): Promise<Signed & { factors: FactorState }> {
  const signed = await currentSession(deps, request);
  if (!signed) throw new CountersignError('NOT_SIGNED_IN');
  if (need.full && scopeOf(signed.session) !== 'full') throw new CountersignError('ENROLL_ONLY');
  const factors = await factorState(deps, signed.user);
  if (factors.hasFactor) {
    const ok =
      need.level === 'view'
        ? signed.session.mfaAt !== null
        : recentlySteppedUp(signed.session, deps.clock.now(), STEP_UP_WINDOW_MS);
    if (!ok) throw new CountersignError('STEP_UP_REQUIRED', `needs ${need.level} access`);
  }
  return { ...signed, factors };
}

/** Merges `patch` into the session's data (undefined values delete keys) and stores it. */
export async function updateSessionData(
  deps: CoreDeps,
  session: WebSession,
  patch: Record<string, unknown>,
): Promise<WebSession> {
  const fresh = (await deps.store.webSessions.getActive(session.id, deps.clock.now())) ?? session;
  const data: Record<string, unknown> = { ...fresh.data };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  await deps.store.webSessions.update(session.id, { data });
  return { ...fresh, data };
}
