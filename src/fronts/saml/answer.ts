// Answers a parked request at the SP's ACS (from our SP record): a signed Response for a completed sign-in, or a
// signed status Response for one that did not complete; the browser carries it in an auto-submitted form.
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Application } from '../../core/model.ts';
import { addParticipant } from '../../core/sso/sso-session.ts';
import {
  buildLoginResponse,
  buildStatusResponse,
  type OutboundResponse,
  SamlBuildError,
  type SpRecord,
  STATUS,
  subjectFromUser,
} from '../../saml/index.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import type { SsoOutcome } from '../sso/complete-sign-in.ts';
import type { SamlContext } from './context.ts';
import { finishPending, type PendingRequest } from './pending-request.ts';
import { sendPostForm } from './post-form.ts';
import { sendExpired } from './refusal-page.ts';

/** A pending request with its application and SP record. */
export interface Parked {
  app: Application;
  sp: SpRecord;
  pending: Omit<PendingRequest, 'browser' | 'expiresAt'>;
}

const nonce = () => randomBytes(18).toString('base64url');

function send(reply: FastifyReply, parked: Parked, response: OutboundResponse, doing: string): FastifyReply {
  return sendPostForm(
    reply,
    {
      url: response.acsUrl,
      fields: { SAMLResponse: response.samlResponse, RelayState: parked.pending.relayState ?? undefined },
      application: parked.app.name,
      doing,
    },
    nonce(),
  );
}

/**
 * Tells the SP the sign-in did not happen (core §3.2.2.2). An IdP-initiated start has no request to answer: the user
 * gets a page instead. `ref`, when given, is spent first so the request is answered once.
 */
export async function answerStatus(
  context: SamlContext,
  reply: FastifyReply,
  parked: Parked,
  code: typeof STATUS.requester | typeof STATUS.responder,
  subCode: string,
  message?: string,
  ref?: string,
): Promise<FastifyReply> {
  if (ref !== undefined && !(await finishPending(context.deps, ref))) return sendExpired(reply);
  const { answering } = parked.pending;
  if (answering === null) {
    // The status message is written for the service provider ("The user cancelled.", a NameID policy): the log
    // keeps it, the person reads what happened to them.
    reply.log.info({ subCode, message }, 'saml sign-in not completed');
    return sendMessagePage(reply, 200, {
      title: `You were not signed in to ${parked.app.name}`,
      paragraphs: ['The sign-in did not finish.', 'You can close this window.'],
    });
  }
  const response = buildStatusResponse({
    idp: await context.idp(),
    sp: parked.sp,
    answering,
    code,
    subCode,
    ...(message !== undefined && { message }),
    now: context.deps.clock.now(),
    random: context.deps.random,
  });
  return send(reply, parked, response, 'Returning to');
}

/** Signs the user of `outcome` in at the SP: a Response to its ACS, its NameID and SessionIndex kept for SLO. */
export async function answerSignIn(
  context: SamlContext,
  reply: FastifyReply,
  parked: Parked,
  outcome: Extract<SsoOutcome, { ok: true }>,
  ref: string,
): Promise<FastifyReply> {
  const { deps } = context;
  const { user, facts, sso } = outcome;
  if (parked.pending.requireSecondFactor && !facts.secondFactor) {
    // The SP asked only for the class a second factor earns (Entra's multipleauthn): without one, say so.
    return answerStatus(context, reply, parked, STATUS.responder, STATUS.noAuthnContext, undefined, ref);
  }
  if (!(await finishPending(deps, ref))) return sendExpired(reply);
  // The session's id first, so a LogoutRequest on any binding (no cookie on a cross-site POST) finds the session.
  const sessionIndex = `${sso.session.id}.${deps.random.bytes(12).toString('base64url')}`;
  let response: OutboundResponse;
  try {
    response = buildLoginResponse({
      idp: await context.idp(),
      sp: parked.sp,
      signIn: {
        subject: subjectFromUser(user),
        authnInstant: facts.authTime,
        sessionIndex,
        secondFactor: facts.secondFactor,
        sessionNotOnOrAfter: sso.session.expiresAt,
      },
      answering: parked.pending.answering ?? undefined,
      now: deps.clock.now(),
      random: deps.random,
    });
  } catch (error) {
    if (!(error instanceof SamlBuildError)) throw error;
    reply.log.warn({ sp: parked.sp.entityId, detail: error.message }, 'saml response cannot be built');
    return sendMessagePage(reply, 403, {
      title: `Your account cannot be used with ${parked.app.name}`,
      paragraphs: [
        'The application needs information about you that your account does not have.',
        'Tell your administrator: they can see the details in the server log.',
      ],
    });
  }
  await addParticipant(deps, sso, {
    protocol: 'saml',
    rp: parked.sp.entityId,
    sessionIndex,
    ...(response.nameId && { nameId: { format: response.nameId.format, value: response.nameId.value } }),
    at: deps.clock.now(),
  });
  return send(reply, parked, response, 'Signing you in to');
}
