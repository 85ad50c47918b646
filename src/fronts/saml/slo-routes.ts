// Single logout (profiles §4.4) at /saml/slo on both bindings: an SP's LogoutRequest ends the SSO session it names,
// the other SAML SPs of that session are told in turn (as far as time allows), then the asking SP gets its
// LogoutResponse; LogoutResponses to our own requests continue the round.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../core/audit.ts';
import { findServiceProvider } from '../../core/saml/service-providers.ts';
import {
  endSsoSession,
  loadSsoSession,
  loadSsoSessionById,
  type SsoParticipant,
  type SsoSession,
} from '../../core/sso/sso-session.ts';
import {
  type AcceptedLogoutRequest,
  buildLogoutRequest,
  buildLogoutResponse,
  type InboundHttp,
  type OutboundMessage,
  readLogoutRequest,
  readLogoutResponse,
} from '../../saml/index.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { addRoute } from '../web-common/add-route.ts';
import { clearCookie, readCookie, SSO_COOKIE } from '../web-common/cookies.ts';
import { SAML_PREFIX, type SamlContext } from './context.ts';
import { endRun, LOGOUT_RUN_MS, type LogoutRun, loadRun, saveRun } from './logout-run.ts';
import { sendPostForm } from './post-form.ts';
import { sendRefusal } from './refusal-page.ts';
import { PostForm, RedirectQuery, RunParams } from './schemas.ts';
import { rawQuery } from './sso-routes.ts';

/** The store id of the SSO session a SessionIndex of ours names (answer.ts writes `<session id>.<random>`). */
function sessionIdOf(sessionIndex: string): string {
  const dot = sessionIndex.lastIndexOf('.');
  return dot > 0 ? sessionIndex.slice(0, dot) : '';
}

/** True when `sso` signed the user in at the asking SP under the request's NameID (and SessionIndex, if named). */
function namedBy(sso: SsoSession, request: AcceptedLogoutRequest, sessionIndex: string | null): boolean {
  return sso.data.participants.some(
    (p) =>
      p.protocol === 'saml' &&
      p.rp === request.sp.entityId &&
      p.nameId?.value === request.nameId.value &&
      (sessionIndex === null || p.sessionIndex === sessionIndex),
  );
}

/** Registers the SLO routes. */
export function registerSloRoutes(fastify: FastifyInstance, context: SamlContext): void {
  const { deps } = context;

  const deliver = (reply: FastifyReply, message: OutboundMessage, application: string) => {
    if (message.binding === 'redirect') return reply.redirect(message.url, 303);
    return sendPostForm(
      reply,
      {
        url: message.url,
        fields: { [message.field]: message.value, RelayState: message.relayState },
        application,
        doing: 'Signing you out of',
      },
      randomBytes(18).toString('base64url'),
    );
  };

  const signedOut = (reply: FastifyReply) =>
    sendMessagePage(reply, 200, {
      title: 'You are signed out',
      paragraphs: [`You signed out of ${context.organization}. You can close this window.`],
    });

  /** Sends the next LogoutRequest of `run`, or, when none is left (or time is up), the asking SP's answer. */
  const next = async (reply: FastifyReply, ref: string, run: LogoutRun): Promise<FastifyReply> => {
    const idp = await context.idp();
    const now = deps.clock.now();
    while (run.remaining.length > 0) {
      if (now > run.deadline) {
        run.partial = true;
        break;
      }
      const target = run.remaining.shift()!;
      const found = await findServiceProvider(deps.store, target.entityId);
      const built =
        found &&
        buildLogoutRequest({
          idp,
          sp: found.sp,
          nameId: target.nameId,
          sessionIndex: target.sessionIndex,
          relayState: ref,
          now,
          random: deps.random,
        });
      if (!found || !built) {
        // An SP without a SingleLogoutService cannot be told: its own session may live on.
        run.partial = true;
        continue;
      }
      run.awaiting = { entityId: target.entityId, requestId: built.id };
      await saveRun(deps, ref, run);
      return deliver(reply, built.message, found.app.name);
    }
    await endRun(deps, ref);
    if (!run.origin) return run.returnTo ? reply.redirect(run.returnTo, 303) : signedOut(reply);
    const origin = await findServiceProvider(deps.store, run.origin.entityId);
    const answer =
      origin &&
      buildLogoutResponse({
        idp,
        sp: origin.sp,
        inResponseTo: run.origin.inResponseTo,
        binding: run.origin.binding,
        partial: run.partial,
        relayState: run.origin.relayState ?? undefined,
        now,
        random: deps.random,
      });
    return answer && origin ? deliver(reply, answer.message, origin.app.name) : signedOut(reply);
  };

  /** The SAML SPs among `participants` other than `except`, with what a LogoutRequest to each must name. */
  const samlTargets = (participants: readonly SsoParticipant[], except: string | null) => {
    const targets = new Map<string, LogoutRun['remaining'][number]>();
    for (const p of participants) {
      if (p.protocol !== 'saml' || p.rp === except || !p.nameId || !p.sessionIndex) continue;
      targets.set(p.rp, { entityId: p.rp, nameId: p.nameId, sessionIndex: p.sessionIndex });
    }
    return [...targets.values()];
  };

  // An OpenID client's logout ended the SSO session: the browser goes round its SAML SPs, then where it was going.
  if (context.logoutHub) {
    context.logoutHub.startSamlLogout = async (participants, returnTo) => {
      const remaining = samlTargets(participants, null);
      if (remaining.length === 0) return null;
      const run: LogoutRun = {
        origin: null,
        returnTo,
        remaining,
        awaiting: null,
        partial: false,
        deadline: deps.clock.now() + LOGOUT_RUN_MS,
      };
      const ref = await saveRun(deps, null, run);
      return `${context.publicUrl()}${SAML_PREFIX}/slo/run/${ref}`;
    };
  }

  const onLogoutRequest = async (request: FastifyRequest, reply: FastifyReply, input: InboundHttp) => {
    const read = await readLogoutRequest(input, await context.inbound());
    if (!read.ok) return sendRefusal(request, reply, read);
    const logout = read.value;
    const sessions: SsoSession[] = [];
    for (const index of logout.sessionIndexes) {
      const sso = await loadSsoSessionById(deps, sessionIdOf(index));
      if (sso && namedBy(sso, logout, index)) sessions.push(sso);
    }
    // No SessionIndex: every session of this NameID (core §3.7.1); the one we can find is this browser's.
    const current = await loadSsoSession(deps, readCookie(request, SSO_COOKIE));
    if (logout.sessionIndexes.length === 0 && current && namedBy(current, logout, null))
      sessions.push(current);
    const everyone: SsoParticipant[] = [];
    for (const sso of sessions) {
      const participants = await endSsoSession(deps, sso);
      if (current?.session.id === sso.session.id) clearCookie(reply, SSO_COOKIE);
      await audit(deps.store, deps.clock.now(), {
        kind: 'auth',
        action: 'sso.sign-out',
        userId: sso.session.userId,
        result: 'success',
        ip: request.ip,
        detail: { protocol: 'saml', rp: logout.sp.entityId },
      });
      // The OpenID clients of the session are told over the back channel (no browser round for them).
      await context.logoutHub?.endOidc?.(sso.session.userId, participants);
      everyone.push(...participants);
    }
    const run: LogoutRun = {
      origin: {
        entityId: logout.sp.entityId,
        inResponseTo: logout.id,
        binding: logout.binding,
        relayState: logout.relayState ?? null,
      },
      returnTo: null,
      remaining: samlTargets(everyone, logout.sp.entityId),
      awaiting: null,
      partial: false,
      deadline: deps.clock.now() + LOGOUT_RUN_MS,
    };
    return next(reply, await saveRun(deps, null, run), run);
  };

  const onLogoutResponse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: InboundHttp,
    relayState: string | undefined,
  ) => {
    const run = await loadRun(deps, relayState);
    if (!run?.awaiting) {
      return sendRefusal(request, reply, { reason: 'in_response_to', detail: 'no logout in progress' });
    }
    const awaiting = run.awaiting;
    const read = await readLogoutResponse(input, await context.inbound(), (sp) =>
      sp.entityId === awaiting.entityId ? awaiting.requestId : undefined,
    );
    if (!read.ok) return sendRefusal(request, reply, read);
    if (!read.value.success) run.partial = true;
    run.awaiting = null;
    return next(reply, relayState!, run);
  };

  const dispatch = (
    request: FastifyRequest,
    reply: FastifyReply,
    input: InboundHttp,
    fields: { SAMLRequest?: string; SAMLResponse?: string; RelayState?: string },
  ) => {
    if (fields.SAMLRequest !== undefined && fields.SAMLResponse === undefined) {
      return onLogoutRequest(request, reply, input);
    }
    if (fields.SAMLResponse !== undefined && fields.SAMLRequest === undefined) {
      return onLogoutResponse(request, reply, input, fields.RelayState);
    }
    return sendRefusal(request, reply, {
      reason: 'malformed',
      detail: 'exactly one of SAMLRequest and SAMLResponse is needed',
    });
  };

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/slo/run/:ref`,
    schema: { params: RunParams, hide: true },
    handler: async (request, reply) => {
      const run = await loadRun(deps, request.params.ref);
      // Started once: a run already under way waits for an SP's answer, not for this link again.
      if (!run || run.awaiting || run.origin) return signedOut(reply);
      return next(reply, request.params.ref, run);
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/slo`,
    schema: { querystring: RedirectQuery, hide: true },
    handler: (request, reply) =>
      dispatch(request, reply, { binding: 'redirect', rawQuery: rawQuery(request) }, request.query),
  });

  addRoute(fastify, {
    method: 'POST',
    url: `${SAML_PREFIX}/slo`,
    schema: { body: PostForm, hide: true },
    handler: (request, reply) =>
      dispatch(request, reply, { binding: 'post', form: request.body }, request.body),
  });
}
