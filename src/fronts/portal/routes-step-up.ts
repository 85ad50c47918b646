// Step-up: the portal session proves a second factor through the core transaction (push, passcode, security key,
// or codes texted to the user's phone).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { AuthTransaction, User, WebSession } from '../../core/model.ts';
import {
  answerFactor,
  beginTransaction,
  isFinal,
  REASONS,
  reasonWords,
  startFactor,
  submitPasscode,
  textPasscodes,
  waitForChange,
} from '../../core/transaction/index.ts';
import { stepUp } from '../../core/web/sessions.ts';
import { verificationCode } from '../../methods/push/push-request.ts';
import type { AuthenticationResponseJSON } from '../../methods/webauthn/index.ts';
import { addRoute } from '../web-common/add-route.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import type { StepUpOutcome, StepUpPushStarted } from './api-shape.ts';
import { flavorOf, publicOrigin, type SignInContext } from './context.ts';
import { currentSession, type Signed, updateSessionData } from './portal-session.ts';
import { PushStatusBody, StepUpPasscodeBody, StepUpStartBody, StepUpWebauthnBody } from './schemas.ts';

/** What the user reads after a step-up that did not succeed: its reason's words (reasons.ts). */
function outcomeMessage(tx: AuthTransaction): string {
  return reasonWords(tx.reason ?? 'unknown_reason');
}

async function signedFor(context: SignInContext, request: FastifyRequest): Promise<Signed> {
  const signed = await currentSession(context.deps, request, flavorOf(context));
  checkCsrf(request, publicOrigin(context), signed?.session.csrf ?? null);
  if (!signed) throw new CountersignError('NOT_SIGNED_IN');
  return signed;
}

function stepUpTxid(session: WebSession): string {
  const txid = session.data.stepUpTx;
  if (typeof txid !== 'string') throw new CountersignError('NO_STEP_UP');
  return txid;
}

/** Turns a finished transaction into the answer, stepping the session up on a factor's allow. */
async function settle(deps: CoreDeps, session: WebSession, tx: AuthTransaction): Promise<StepUpOutcome> {
  // Only an allow that a factor produced counts: a policy or user bypass is not proof of possession.
  if (tx.state === 'allow' && tx.reason !== null && REASONS[tx.reason].provesFactor) {
    await stepUp(deps, session);
    await updateSessionData(deps, session, { stepUpTx: undefined });
    return { done: true, ok: true };
  }
  if (!isFinal(tx.state)) return { done: false, ok: false, version: tx.version };
  return { done: true, ok: false, message: outcomeMessage(tx) };
}

async function begin(context: SignInContext, request: FastifyRequest, user: User, session: WebSession) {
  const { tx, decision } = await beginTransaction(context.deps, {
    app: await context.application(),
    user,
    ip: request.ip,
    factor: null,
    data: { portalStepUp: true },
  });
  if (tx.state !== 'awaiting_factor') {
    const detail = `${tx.state}: ${tx.reason ?? ''}`;
    throw decision.result === 'deny' && decision.reason === 'locked_out'
      ? new CountersignError('ACCOUNT_LOCKED', detail)
      : new CountersignError('STEP_UP_UNAVAILABLE', detail);
  }
  await updateSessionData(context.deps, session, { stepUpTx: tx.id });
  return tx;
}

export function stepUpRoutes(fastify: FastifyInstance, context: SignInContext): void {
  const { deps } = context;

  addRoute(fastify, {
    method: 'POST',
    url: '/step-up/start',
    schema: { body: StepUpStartBody },
    handler: async (request) => {
      const { session, user } = await signedFor(context, request);
      const { method } = request.body;
      const tx = await begin(context, request, user, session);
      if (method === 'passcode') return { method };
      if (method === 'sms') {
        // The codes are the user's, not this attempt's: any of them then goes to /step-up/passcode.
        await textPasscodes(deps, tx.id, { device: 'auto', end: false });
        return { method };
      }
      if (method === 'webauthn')
        return { method, options: (await startFactor(deps, tx.id, 'webauthn', { rp: context.rp() })).shown };
      const { tx: pushed } = await startFactor(deps, tx.id, 'push', {
        device: 'auto',
        type: flavorOf(context).pushType,
        displayUsername: user.username,
        automatic: false,
        canShowCode: true,
      });
      if (pushed.state !== 'pushed')
        throw new CountersignError('PUSH_REFUSED', `${pushed.state}: ${pushed.reason ?? ''}`);
      return {
        method,
        verificationCode: verificationCode(pushed),
        version: pushed.version,
      } satisfies StepUpPushStarted;
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/step-up/passcode',
    schema: { body: StepUpPasscodeBody },
    handler: async (request) => {
      const { session } = await signedFor(context, request);
      return settle(deps, session, await submitPasscode(deps, stepUpTxid(session), request.body.code));
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/step-up/webauthn',
    schema: { body: StepUpWebauthnBody },
    handler: async (request) => {
      const { session } = await signedFor(context, request);
      const response = request.body.response as AuthenticationResponseJSON;
      return settle(
        deps,
        session,
        await answerFactor(deps, stepUpTxid(session), 'webauthn', { response, rp: context.rp() }),
      );
    },
  });

  // Long poll while a push waits: answers when the transaction changes or after about 20 seconds.
  addRoute(fastify, {
    method: 'POST',
    url: '/step-up/push-status',
    schema: { body: PushStatusBody },
    handler: async (request, reply) => {
      const { session } = await signedFor(context, request);
      const since = request.body.version ?? 0;
      const abort = new AbortController();
      reply.raw.once('close', () => abort.abort());
      const tx = await waitForChange(deps, stepUpTxid(session), since, 20_000, abort.signal);
      return settle(deps, session, tx);
    },
  });
}
