// The console's session: the portal's sign-in with its own cookie, for administrators only, a second factor
// always, idle and absolute expiry; and what every console API call checks before it runs.
import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { isCountersignError } from '../../core/errors.ts';
import type { Administrator, User, WebSession } from '../../core/model.ts';
import { endWebSession } from '../../core/web/sessions.ts';
import { DuoApiError } from '../duo-api/envelope.ts';
import { currentSession, type SessionFlavor, updateSessionData } from '../portal/portal-session.ts';
import { CONSOLE_COOKIE } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';

/** A use this much later than the last recorded one is written down (the idle clock's resolution). */
const SEEN_RESOLUTION_MS = 30_000;

/** The console's session rules from `[console]`. */
export function consoleFlavor(options: { idleMinutes: number; sessionHours: number }): SessionFlavor {
  return {
    kind: 'console',
    cookie: CONSOLE_COOKIE,
    sameSite: 'Strict',
    ttlMs: options.sessionHours * 3_600_000,
    idleMs: options.idleMinutes * 60_000,
    admits: async (deps, user) => (await deps.store.administrators.get(user.id)) !== null,
    pushType: 'Console sign-in',
  };
}

/** A console session that may call the API: signed in, a second factor given, still an administrator. */
export interface ConsoleSigned {
  session: WebSession;
  user: User;
  admin: Administrator;
}

/** 401 in Duo's envelope: the console page then shows its sign-in. */
const signedOut = (why: string) => new DuoApiError(401, 40101, 'Missing request credentials', why);

/**
 * The console session behind the request, or Duo's 401 (signed out, idle too long, no second factor yet, no
 * longer an administrator) or 403 (a state change without our origin and the session's CSRF token). Each use
 * moves the idle clock on.
 */
export async function requireConsole(
  deps: CoreDeps,
  request: FastifyRequest,
  flavor: SessionFlavor,
  origin: string,
): Promise<ConsoleSigned> {
  const signed = await currentSession(deps, request, flavor);
  if (!signed) throw signedOut('sign in to the console');
  const { session, user } = signed;
  // A second factor always, even for an administrator who has none yet (they set one up in the portal first).
  if (session.mfaAt === null) throw signedOut('confirm it is you with a second factor');
  const admin = await deps.store.administrators.get(user.id);
  if (!admin) {
    await endWebSession(deps, session);
    throw signedOut('no longer an administrator');
  }
  try {
    checkCsrf(request, origin, session.csrf);
  } catch (error) {
    if (isCountersignError(error, 'CSRF'))
      throw new DuoApiError(403, 40301, 'Access forbidden', error.detail ?? 'CSRF');
    throw error;
  }
  const seenAt = typeof session.data.seenAt === 'number' ? session.data.seenAt : session.createdAt;
  if (deps.clock.now() - seenAt >= SEEN_RESOLUTION_MS) {
    await updateSessionData(deps, session, { seenAt: deps.clock.now() });
  }
  return { session, user, admin };
}

/** The actor the administrator log names for a console action. */
export function consoleActor(user: User): string {
  return `console:${user.username}`;
}
