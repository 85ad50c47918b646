// Single sign-on: the SSO endpoint (Redirect and POST bindings) and IdP-initiated starts accept a request and park
// it for this browser; the sign-in pages run the shared SSO steps (session or password, then the prompt); the
// return from the prompt answers the SP with a signed Response in an auto-submitted form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findServiceProvider } from '../../core/saml/service-providers.ts';
import { readAuthnRequest, STATUS } from '../../saml/index.ts';
import { beginSignIn, type SsoStep, signInWithPassword } from '../sso/begin-sign-in.ts';
import { completeSignIn } from '../sso/complete-sign-in.ts';
import { sendSignInPage } from '../sso/sign-in-page.ts';
import type { SsoRequest } from '../sso/sso-request.ts';
import { addRoute } from '../web-common/add-route.ts';
import { PROMPT_COOKIE, readCookie, SSO_COOKIE, setCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import { answerSignIn, answerStatus, type Parked } from './answer.ts';
import { browserToken, SAML_PREFIX, type SamlContext } from './context.ts';
import { loadPending, type PendingRequest, SAML_COOKIE, savePending } from './pending-request.ts';
import { sendExpired, sendRefusal } from './refusal-page.ts';
import {
  CancelForm,
  DoneQuery,
  IdpInitiatedQuery,
  PendingParams,
  PostForm,
  RedirectQuery,
  SignInForm,
} from './schemas.ts';

/** The query string after `?`, exactly as received: a Redirect signature covers these octets (bindings §3.4.4.1). */
export function rawQuery(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

/** Registers the SSO routes. */
export function registerSsoRoutes(fastify: FastifyInstance, context: SamlContext): void {
  const { deps } = context;
  const origin = () => new URL(context.publicUrl()).origin;
  const pagePath = (ref: string) => `${SAML_PREFIX}/sign-in/${ref}`;

  /** Parks an accepted request for this browser and sends it to our sign-in page. */
  const park = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pending: Omit<PendingRequest, 'browser' | 'expiresAt'>,
  ) => {
    const token = browserToken(context, reply, readCookie(request, SAML_COOKIE));
    const ref = await savePending(deps, pending, token);
    // 303: after an SP's cross-site POST, the browser comes back with a top-level GET (our Lax cookies go with it).
    return reply.redirect(pagePath(ref), 303);
  };

  const acceptAuthnRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: Parameters<typeof readAuthnRequest>[0],
  ) => {
    const read = await readAuthnRequest(input, await context.inbound());
    if (!read.ok) return sendRefusal(request, reply, read);
    const accepted = read.value;
    const found = await findServiceProvider(deps.store, accepted.sp.entityId);
    if (!found) return sendRefusal(request, reply, { reason: 'unknown_issuer', detail: 'removed meanwhile' });
    const answering = { id: accepted.id, acs: accepted.acs };
    const parked: Parked = {
      app: found.app,
      sp: found.sp,
      pending: {
        appId: found.app.id,
        entityId: found.sp.entityId,
        answering,
        relayState: accepted.relayState ?? null,
        forceAuthn: accepted.forceAuthn,
        requireSecondFactor: accepted.requireSecondFactor,
      },
    };
    // A sound request we cannot honour is answered at its ACS with a status (core §3.2.2.2), never signed in.
    if (accepted.statusProblem) {
      const { subCode, message } = accepted.statusProblem;
      return answerStatus(context, reply, parked, STATUS.requester, subCode, message);
    }
    // Every sign-in may need the user (a password, a factor): a passive request gets NoPassive (core §3.4.1).
    if (accepted.isPassive) return answerStatus(context, reply, parked, STATUS.responder, STATUS.noPassive);
    return park(request, reply, parked.pending);
  };

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/sso`,
    schema: { querystring: RedirectQuery, hide: true },
    handler: (request, reply) =>
      acceptAuthnRequest(request, reply, { binding: 'redirect', rawQuery: rawQuery(request) }),
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${SAML_PREFIX}/sso`,
    schema: { body: PostForm, hide: true },
    handler: (request, reply) => acceptAuthnRequest(request, reply, { binding: 'post', form: request.body }),
  });

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/idp-initiated`,
    schema: { querystring: IdpInitiatedQuery, hide: true },
    handler: async (request, reply) => {
      const found = await findServiceProvider(deps.store, request.query.sp);
      if (!found) {
        return sendRefusal(request, reply, {
          reason: 'unknown_issuer',
          detail: `no SP '${request.query.sp}'`,
        });
      }
      return park(request, reply, {
        appId: found.app.id,
        entityId: found.sp.entityId,
        answering: null,
        relayState: request.query.RelayState ?? null,
        forceAuthn: false,
        requireSecondFactor: false,
      });
    },
  });

  /** The pending request `ref` of this browser, with its SP; null when gone, answered, or another browser's. */
  const parked = async (request: FastifyRequest, ref: string): Promise<Parked | null> => {
    const pending = await loadPending(deps, ref, readCookie(request, SAML_COOKIE));
    if (!pending) return null;
    const found = await findServiceProvider(deps.store, pending.entityId);
    if (found?.app.id !== pending.appId) return null;
    return { app: found.app, sp: found.sp, pending };
  };

  const ssoRequest = (ref: string, found: Parked): SsoRequest => ({
    protocol: 'saml',
    requestRef: ref,
    app: found.app,
    rp: found.sp.entityId,
    paths: {
      signIn: `${pagePath(ref)}/password`,
      cancel: `${pagePath(ref)}/cancel`,
      done: `${pagePath(ref)}/done`,
    },
    forceLogin: found.pending.forceAuthn,
    maxAgeMs: null,
    loginHint: null,
  });

  const show = (reply: FastifyReply, request: SsoRequest, step: SsoStep): FastifyReply => {
    if (step.kind === 'prompt') {
      setCookie(reply, PROMPT_COOKIE, step.promptToken, { expiresAt: null });
      return reply.redirect(step.location, 303);
    }
    return sendSignInPage(reply, step.error ? 401 : 200, {
      organization: context.organization,
      application: request.app.name,
      action: request.paths.signIn,
      cancelAction: request.paths.cancel,
      username: step.username,
      error: step.error,
    });
  };

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/sign-in/:ref`,
    schema: { params: PendingParams, hide: true },
    handler: async (request, reply) => {
      const found = await parked(request, request.params.ref);
      if (!found) return sendExpired(reply);
      const sso = ssoRequest(request.params.ref, found);
      const step = await beginSignIn(deps, sso, {
        ssoToken: readCookie(request, SSO_COOKIE),
        ip: request.ip,
      });
      return show(reply, sso, step);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${SAML_PREFIX}/sign-in/:ref/password`,
    schema: { params: PendingParams, body: SignInForm, hide: true },
    handler: async (request, reply) => {
      checkCsrf(request, origin(), null);
      const found = await parked(request, request.params.ref);
      if (!found) return sendExpired(reply);
      const sso = ssoRequest(request.params.ref, found);
      const { username, password } = request.body;
      const step = await signInWithPassword(deps, sso, { username, password }, request.ip);
      return show(reply, sso, step);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${SAML_PREFIX}/sign-in/:ref/cancel`,
    schema: { params: PendingParams, body: CancelForm, hide: true },
    handler: async (request, reply) => {
      checkCsrf(request, origin(), null);
      const found = await parked(request, request.params.ref);
      if (!found) return sendExpired(reply);
      return answerStatus(
        context,
        reply,
        found,
        STATUS.responder,
        STATUS.authnFailed,
        'The user cancelled.',
        request.params.ref,
      );
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/sign-in/:ref/done`,
    schema: { params: PendingParams, querystring: DoneQuery, hide: true },
    handler: async (request, reply) => {
      const { ref } = request.params;
      const found = await parked(request, ref);
      if (!found) return sendExpired(reply);
      const outcome = await completeSignIn(deps, ssoRequest(ref, found), {
        code: request.query.handoff,
        ssoToken: readCookie(request, SSO_COOKIE),
        sessionTtlMs: context.ssoSessionMs,
        ip: request.ip,
      });
      if (!outcome.ok) {
        if (outcome.reason === 'expired') return sendExpired(reply);
        const message = outcome.reason === 'cancelled' ? 'The user cancelled.' : 'The sign-in was denied.';
        const code = outcome.reason === 'cancelled' ? STATUS.authnFailed : STATUS.requestDenied;
        return answerStatus(context, reply, found, STATUS.responder, code, message, ref);
      }
      if (outcome.ssoToken) setCookie(reply, SSO_COOKIE, outcome.ssoToken, { expiresAt: null });
      return answerSignIn(context, reply, found, outcome, ref);
    },
  });
}
