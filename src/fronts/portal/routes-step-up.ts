// Step-up: the portal session proves a second factor through the core transaction (push, passcode, security key).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import type { AuthTransaction, User, WebSession } from '../../core/model.ts';
import { beginTransaction } from '../../core/transaction/begin-transaction.ts';
import { startPush, verificationCode } from '../../core/transaction/start-push.ts';
import { isFinal } from '../../core/transaction/states.ts';
import { submitPasscode } from '../../core/transaction/submit-passcode.ts';
import { submitWebauthn, webauthnOptionsForTransaction } from '../../core/transaction/submit-webauthn.ts';
import { waitForChange } from '../../core/transaction/wait-for-change.ts';
import { stepUp } from '../../core/web/sessions.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import type { StepUpOutcome, StepUpPushStarted } from './api-shape.ts';
import { type PortalContext, publicOrigin } from './context.ts';
import { notSignedIn, PortalError } from './portal-error.ts';
import { currentSession, type Signed, updateSessionData } from './portal-session.ts';

/** Only an allow that a factor produced counts: a policy or user bypass is not proof of possession. */
const FACTOR_REASONS = new Set(['valid_passcode', 'user_approved', 'valid_webauthn']);

const OUTCOME_MESSAGES: Record<string, string> = {
  denied: 'The request was denied on your phone.',
  wrong_code: 'The number typed on the phone did not match.',
  fraud_reported: 'The request was reported as fraud. Contact your help desk if this was you.',
  timeout: 'The request timed out. Please try again.',
  invalid_passcode: 'That code is not right. Please try again.',
  invalid_webauthn: 'The security key could not be verified. Please try again.',
  locked_out: 'Your account is locked after too many attempts. Contact your help desk.',
};

function outcomeMessage(tx: AuthTransaction): string {
  return OUTCOME_MESSAGES[tx.reason ?? ''] ?? 'That did not work. Please try again.';
}

async function signedFor(context: PortalContext, request: FastifyRequest): Promise<Signed> {
  const signed = await currentSession(context.deps, request);
  checkCsrf(request, publicOrigin(context), signed?.session.csrf ?? null);
  if (!signed) throw notSignedIn();
  return signed;
}

function stepUpTxid(session: WebSession): string {
  const txid = session.data.stepUpTx;
  if (typeof txid !== 'string')
    throw new PortalError(409, 'NO_STEP_UP', 'Please choose how to confirm it is you.');
  return txid;
}

/** Turns a finished transaction into the answer, stepping the session up on a factor's allow. */
async function settle(deps: CoreDeps, session: WebSession, tx: AuthTransaction): Promise<StepUpOutcome> {
  if (tx.state === 'allow' && FACTOR_REASONS.has(tx.reason ?? '')) {
    await stepUp(deps, session);
    await updateSessionData(deps, session, { stepUpTx: undefined });
    return { done: true, ok: true };
  }
  if (!isFinal(tx.state)) return { done: false, ok: false, version: tx.version };
  return { done: true, ok: false, message: outcomeMessage(tx) };
}

async function begin(context: PortalContext, request: FastifyRequest, user: User, session: WebSession) {
  const { tx, decision } = await beginTransaction(context.deps, {
    app: await context.application(),
    user,
    ip: request.ip,
    factor: null,
    data: { portalStepUp: true },
  });
  if (tx.state !== 'awaiting_factor') {
    const message =
      decision.result === 'deny' && decision.reason === 'locked_out'
        ? OUTCOME_MESSAGES.locked_out!
        : 'Your sign-in methods cannot be used here. Contact your help desk.';
    throw new PortalError(403, 'STEP_UP_UNAVAILABLE', message);
  }
  await updateSessionData(context.deps, session, { stepUpTx: tx.id });
  return tx;
}

export function stepUpRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;

  fastify.post<{ Body: { method?: unknown } }>('/step-up/start', async (request) => {
    const { session, user } = await signedFor(context, request);
    const method = request.body?.method;
    if (method !== 'push' && method !== 'passcode' && method !== 'webauthn') {
      throw new PortalError(400, 'INVALID_INPUT', 'Choose push, passcode or security key.');
    }
    const tx = await begin(context, request, user, session);
    if (method === 'passcode') return { method };
    if (method === 'webauthn')
      return { method, options: await webauthnOptionsForTransaction(deps, tx.id, context.rp()) };
    const pushed = await startPush(deps, tx.id, {
      device: 'auto',
      type: 'Portal sign-in',
      displayUsername: user.username,
      automatic: false,
      canShowCode: true,
    });
    if (pushed.state !== 'pushed') throw new PortalError(409, 'PUSH_REFUSED', outcomeMessage(pushed));
    return {
      method,
      verificationCode: verificationCode(pushed),
      version: pushed.version,
    } satisfies StepUpPushStarted;
  });

  fastify.post<{ Body: { code?: unknown } }>('/step-up/passcode', async (request) => {
    const { session } = await signedFor(context, request);
    const code = request.body?.code;
    if (typeof code !== 'string' || code.length > 32)
      throw new PortalError(400, 'INVALID_INPUT', 'Please type the code.');
    return settle(deps, session, await submitPasscode(deps, stepUpTxid(session), code));
  });

  fastify.post<{ Body: { response?: unknown } }>('/step-up/webauthn', async (request) => {
    const { session } = await signedFor(context, request);
    const response = request.body?.response;
    if (typeof response !== 'object' || response === null)
      throw new PortalError(400, 'INVALID_INPUT', 'No security key answer.');
    return settle(
      deps,
      session,
      await submitWebauthn(deps, stepUpTxid(session), response as never, context.rp()),
    );
  });

  // Long poll while a push waits: answers when the transaction changes or after about 20 seconds.
  fastify.post<{ Body: { version?: unknown } }>('/step-up/push-status', async (request, reply) => {
    const { session } = await signedFor(context, request);
    const since = typeof request.body?.version === 'number' ? request.body.version : 0;
    const abort = new AbortController();
    reply.raw.once('close', () => abort.abort());
    const tx = await waitForChange(deps, stepUpTxid(session), since, 20_000, abort.signal);
    return settle(deps, session, tx);
  });
}
