// The provider's interactions, handed to our sign-in: the SSO session or the sign-in page, then the prompt (policy,
// second factor), then back here with the prompt's hand-off, where the result (`acr`, `amr`, `ts`) goes to the
// provider. Routes: GET /oidc/interaction/:uid, POST …/sign-in, POST …/cancel, GET …/done.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { InteractionDetails, LoginResult, Provider } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { beginSignIn, type SsoStep, signInWithPassword } from '../sso/begin-sign-in.ts';
import { completeSignIn } from '../sso/complete-sign-in.ts';
import { sendSignInPage } from '../sso/sign-in-page.ts';
import type { SsoRequest } from '../sso/sso-request.ts';
import { addRoute, type RouteRequest } from '../web-common/add-route.ts';
import { PROMPT_COOKIE, readCookie, SSO_COOKIE, setCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import { OIDC_PREFIX } from './prefix.ts';
import type { ProviderHost } from './provider-host.ts';
import { CancelForm, DoneQuery, InteractionParams, SignInForm } from './schemas.ts';

export interface InteractionOptions {
  deps: CoreDeps;
  host: ProviderHost;
  organization: string;
  publicUrl: () => string;
  /** How long a new SSO session lasts. */
  ssoSessionMs: number;
}

type InteractionRequest = RouteRequest<{ params: typeof InteractionParams }>;

interface Pending {
  provider: Provider;
  details: InteractionDetails;
  sso: SsoRequest;
}

/** What the relying party is told when the sign-in did not succeed (RFC 6749 §4.1.2.1 `access_denied`). */
const DENIED = {
  cancelled: 'The user cancelled the sign-in.',
  denied: 'The sign-in was denied.',
  expired: 'The sign-in expired before it finished.',
} as const;

function maxAgeMs(value: unknown): number | null {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

function expiredPage(reply: FastifyReply): FastifyReply {
  return sendMessagePage(reply, 400, {
    title: 'This sign-in has expired',
    paragraphs: [
      'It took too long, it already finished, or it was started in another browser.',
      'Go back to the application and sign in again.',
    ],
  });
}

/** Registers the interaction routes in their own encapsulated context (form bodies, security headers). */
export function registerInteractionRoutes(fastify: FastifyInstance, options: InteractionOptions): void {
  const { deps, host } = options;
  const origin = () => new URL(options.publicUrl()).origin;

  /** The interaction this browser (its interaction cookie) has pending under `uid`, or null. */
  const pending = async (request: InteractionRequest, reply: FastifyReply): Promise<Pending | null> => {
    const provider = await host.get();
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(request.raw, reply.raw);
    } catch (error) {
      // No interaction for this browser (no cookie, expired, finished): the user starts again. Anything else (the
      // database down) is a server error, not an expired sign-in.
      // oidc-provider is loaded by now (host.get() built the provider): this import costs nothing.
      const { errors } = await import('oidc-provider');
      if (error instanceof errors.SessionNotFound) return null;
      throw error;
    }
    if (details.uid !== request.params.uid) return null;
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    const app = clientId.length === 20 ? await deps.store.applications.findByIkey(clientId) : null;
    if (app?.type !== 'oidc') return null;
    const base = `${OIDC_PREFIX}/interaction/${details.uid}`;
    const prompts = typeof details.params.prompt === 'string' ? details.params.prompt.split(' ') : [];
    const hint = details.params.login_hint;
    return {
      provider,
      details,
      sso: {
        protocol: 'oidc',
        requestRef: details.uid,
        app,
        rp: clientId,
        paths: { signIn: `${base}/sign-in`, cancel: `${base}/cancel`, done: `${base}/done` },
        forceLogin: prompts.includes('login'),
        maxAgeMs: maxAgeMs(details.params.max_age),
        loginHint: typeof hint === 'string' && hint.length > 0 && hint.length <= 256 ? hint : null,
      },
    };
  };

  const show = (reply: FastifyReply, found: Pending, step: SsoStep): FastifyReply => {
    if (step.kind === 'prompt') {
      setCookie(reply, PROMPT_COOKIE, step.promptToken, { expiresAt: null });
      return reply.redirect(step.location, 303);
    }
    return sendSignInPage(reply, step.error ? 401 : 200, {
      organization: options.organization,
      application: found.sso.app.name,
      action: found.sso.paths.signIn,
      cancelAction: found.sso.paths.cancel,
      username: step.username,
      error: step.error,
    });
  };

  const finish = async (
    request: InteractionRequest,
    reply: FastifyReply,
    found: Pending,
    result: LoginResult,
  ) => {
    const returnTo = await found.provider.interactionResult(request.raw, reply.raw, result);
    return reply.redirect(returnTo, 303);
  };

  const base = `${OIDC_PREFIX}/interaction/:uid`;

  addRoute(fastify, {
    method: 'GET',
    url: base,
    schema: { params: InteractionParams, hide: true },
    handler: async (request, reply) => {
      const found = await pending(request, reply);
      if (!found) return expiredPage(reply);
      const step = await beginSignIn(deps, found.sso, {
        ssoToken: readCookie(request, SSO_COOKIE),
        ip: request.ip,
      });
      return show(reply, found, step);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${base}/sign-in`,
    schema: { params: InteractionParams, body: SignInForm, hide: true },
    handler: async (request, reply) => {
      checkCsrf(request, origin(), null);
      const found = await pending(request, reply);
      if (!found) return expiredPage(reply);
      const { username, password } = request.body;
      const step = await signInWithPassword(deps, found.sso, { username, password }, request.ip);
      return show(reply, found, step);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${base}/cancel`,
    schema: { params: InteractionParams, body: CancelForm, hide: true },
    handler: async (request, reply) => {
      checkCsrf(request, origin(), null);
      const found = await pending(request, reply);
      if (!found) return expiredPage(reply);
      return finish(request, reply, found, { error: 'access_denied', error_description: DENIED.cancelled });
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: `${base}/done`,
    schema: { params: InteractionParams, querystring: DoneQuery, hide: true },
    handler: async (request, reply) => {
      const found = await pending(request, reply);
      if (!found) return expiredPage(reply);
      const outcome = await completeSignIn(deps, found.sso, {
        code: request.query.handoff,
        ssoToken: readCookie(request, SSO_COOKIE),
        sessionTtlMs: options.ssoSessionMs,
        ip: request.ip,
      });
      if (!outcome.ok) {
        return finish(request, reply, found, {
          error: 'access_denied',
          error_description: DENIED[outcome.reason],
        });
      }
      // A browser-session cookie: the server enforces the session's end on its own clock.
      if (outcome.ssoToken) setCookie(reply, SSO_COOKIE, outcome.ssoToken, { expiresAt: null });
      const { facts, user } = outcome;
      return finish(request, reply, found, {
        login: {
          accountId: user.id,
          acr: facts.acr,
          amr: facts.amr,
          ts: Math.floor(facts.authTime / 1000),
          // The provider's session cookie ends with the browser, like ours; "remember me" is the prompt's.
          remember: false,
        },
        consent: { grantId: await grantFor(found, user.id) },
      });
    },
  });
}

/**
 * The grant of this authorization: clients are applications an administrator connected, so what they ask for
 * (scopes, claims) is granted without a consent screen. The session's grant is reused when it is this user's.
 */
async function grantFor(found: Pending, accountId: string): Promise<string> {
  const { provider, details } = found;
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing && existing.accountId === accountId && existing.clientId === clientId
      ? existing
      : new provider.Grant({ accountId, clientId });
  if (typeof details.params.scope === 'string') grant.addOIDCScope(details.params.scope);
  const claims = parseClaims(details.params.claims);
  if (claims.length > 0) grant.addOIDCClaims(claims);
  return grant.save();
}

/** The claim names of an OIDC `claims` request parameter (Core §5.5), or none. */
function parseClaims(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as { id_token?: object; userinfo?: object };
    return [...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})];
  } catch {
    return [];
  }
}
