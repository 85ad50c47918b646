// Portal sign-in and sign-out, and the session summary the page starts from.
import type { FastifyInstance } from 'fastify';
import { verifyPrimary } from '../../core/primary-auth.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { endWebSession, recentlySteppedUp, startWebSession } from '../../core/web/sessions.ts';
import { clearCookie, SESSION_COOKIE, setCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import type { SessionInfo } from './api-shape.ts';
import { type PortalContext, publicOrigin } from './context.ts';
import { PortalError } from './portal-error.ts';
import { currentSession, factorState, STEP_UP_WINDOW_MS, safeReturnTo, scopeOf } from './portal-session.ts';
import { stepUpMethods } from './step-up-methods.ts';

/** The one message for every sign-in failure: no user enumeration (SECURITY.md). */
export const SIGN_IN_FAILED = 'Incorrect username or password.';

export function sessionRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;

  fastify.get('/session', async (request) => {
    const signed = await currentSession(deps, request);
    if (!signed) return { signedIn: false, organization: context.organization } satisfies SessionInfo;
    const { session, user } = signed;
    const factors = await factorState(deps, user);
    const now = deps.clock.now();
    return {
      signedIn: true,
      organization: context.organization,
      csrf: session.csrf,
      scope: scopeOf(session),
      returnTo: safeReturnTo(session.data.returnTo),
      user: { username: user.username, realName: user.realName, email: user.email },
      hasFactor: factors.hasFactor,
      needsSecondFactor: factors.hasFactor && session.mfaAt === null,
      canChangeFactors: !factors.hasFactor || recentlySteppedUp(session, now, STEP_UP_WINDOW_MS),
      stepUpMethods: stepUpMethods(factors),
    } satisfies SessionInfo;
  });

  fastify.post<{ Body: { username?: unknown; password?: unknown } }>('/sign-in', async (request, reply) => {
    checkCsrf(request, publicOrigin(context), null);
    const { username, password } = request.body ?? {};
    if (typeof username !== 'string' || typeof password !== 'string' || !username.trim() || !password) {
      throw new PortalError(400, 'INVALID_INPUT', 'Please enter your username and password.');
    }
    // The refusal depends on the name's characters alone, so saying why tells nothing about who exists.
    const checked = canonicalUsername(username);
    if (!checked.ok)
      throw new PortalError(400, 'INVALID_USERNAME', `That username is not valid: ${checked.reason}.`);
    if (password.length > 1024) throw new PortalError(401, 'SIGN_IN_FAILED', SIGN_IN_FAILED);
    const app = await context.application();
    const result = await verifyPrimary(deps, app, checked.name, password, request.ip);
    if (!result.ok) {
      if (result.reason === 'unavailable') {
        throw new PortalError(
          503,
          'UNAVAILABLE',
          'Sign-in is unavailable right now. Please try again shortly.',
        );
      }
      throw new PortalError(401, 'SIGN_IN_FAILED', SIGN_IN_FAILED);
    }
    // Disabled and locked-out users get the same answer as a wrong password: nothing about the account leaks.
    if (result.user.status === 'disabled' || result.user.status === 'locked_out') {
      throw new PortalError(401, 'SIGN_IN_FAILED', SIGN_IN_FAILED);
    }
    const { token } = await startWebSession(deps, result.user, 'portal', {
      data: { scope: 'full' },
    });
    // A browser-session cookie: the server enforces the session's expiry (and a frozen test clock can't misdate it).
    setCookie(reply, SESSION_COOKIE, token, { expiresAt: null, sameSite: 'Lax' });
    return { signedIn: true };
  });

  fastify.post('/sign-out', async (request, reply) => {
    const signed = await currentSession(deps, request);
    checkCsrf(request, publicOrigin(context), signed?.session.csrf ?? null);
    if (signed) await endWebSession(deps, signed.session);
    clearCookie(reply, SESSION_COOKIE);
    return { signedIn: false };
  });
}
