// Portal sign-in and sign-out, and the session summary the page starts from.
import type { FastifyInstance } from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { verifyPrimary } from '../../core/primary-auth.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { endWebSession, recentlySteppedUp, startWebSession } from '../../core/web/sessions.ts';
import { addRoute } from '../web-common/add-route.ts';
import { clearCookie, setCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import type { SessionInfo } from './api-shape.ts';
import { flavorOf, publicOrigin, type SignInContext } from './context.ts';
import { currentSession, factorState, STEP_UP_WINDOW_MS, safeReturnTo, scopeOf } from './portal-session.ts';
import { NoBody, SignInBody } from './schemas.ts';
import { stepUpMethods } from './step-up-methods.ts';

export function sessionRoutes(fastify: FastifyInstance, context: SignInContext): void {
  const { deps } = context;
  const flavor = flavorOf(context);

  addRoute(fastify, {
    method: 'GET',
    url: '/session',
    schema: {},
    handler: async (request) => {
      const signed = await currentSession(deps, request, flavor);
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
        stepUpMethods: stepUpMethods(factors, context.deps.telephony.enabled),
      } satisfies SessionInfo;
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/sign-in',
    schema: { body: SignInBody },
    handler: async (request, reply) => {
      checkCsrf(request, publicOrigin(context), null);
      const { username, password } = request.body;
      // The refusal depends on the name's characters alone, so saying why tells nothing about who exists
      // (INVALID_USERNAME shows its reason: docs/errors.md).
      const checked = canonicalUsername(username);
      if (!checked.ok) throw new CountersignError('INVALID_USERNAME', checked.reason);
      if (password.length > 1024)
        throw new CountersignError('SIGN_IN_FAILED', 'password over 1024 characters');
      const app = await context.application();
      const result = await verifyPrimary(deps, app, checked.name, password, request.ip);
      if (!result.ok) {
        if (result.reason === 'unavailable') throw new CountersignError('SIGN_IN_UNAVAILABLE');
        throw new CountersignError('SIGN_IN_FAILED', result.reason);
      }
      // Disabled and locked-out users get the same answer as a wrong password: nothing about the account leaks.
      if (result.user.status === 'disabled' || result.user.status === 'locked_out') {
        throw new CountersignError('SIGN_IN_FAILED', `user ${result.user.status}`);
      }
      // The console admits administrators only; anyone else gets the wrong-password answer too.
      if (flavor.admits && !(await flavor.admits(deps, result.user))) {
        throw new CountersignError('SIGN_IN_FAILED', `${flavor.kind}: not admitted`);
      }
      const { token } = await startWebSession(deps, result.user, flavor.kind, {
        data: { scope: 'full', seenAt: deps.clock.now() },
        ...(flavor.ttlMs !== undefined && { ttlMs: flavor.ttlMs }),
      });
      // A browser-session cookie: the server enforces the session's expiry (and a frozen test clock can't misdate it).
      setCookie(reply, flavor.cookie, token, { expiresAt: null, sameSite: flavor.sameSite });
      return { signedIn: true };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/sign-out',
    schema: { body: NoBody },
    handler: async (request, reply) => {
      const signed = await currentSession(deps, request, flavor);
      checkCsrf(request, publicOrigin(context), signed?.session.csrf ?? null);
      if (signed) await endWebSession(deps, signed.session);
      clearCookie(reply, flavor.cookie);
      return { signedIn: false };
    },
  });
}
