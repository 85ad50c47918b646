// The prompt API's second factors: push (with the verified-push number), passcode, security key (WebAuthn),
// texted codes and a sign-in call.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CountersignError, isCountersignError } from '../../core/errors.ts';
import {
  answerFactor,
  isFinal,
  reasonWords,
  startFactor,
  submitPasscode,
  textPasscodes,
} from '../../core/transaction/index.ts';
import { ensureTransaction, flowTransaction } from '../../core/web/prompt-steps.ts';
import type { AuthenticationResponseJSON } from '../../methods/webauthn/index.ts';
import { addRoute } from '../web-common/add-route.ts';
import { REMEMBER_COOKIE, readCookie } from '../web-common/cookies.ts';
import type { PromptOptions } from './context.ts';
import { requireFlow } from './flow-request.ts';
import { describeFlow } from './flow-view.ts';
import { FlowParams, NoBody, PasscodeBody, PushBody, WebauthnBody } from './schemas.ts';

type FlowRequest = FastifyRequest<{ Params: { flowId: string } }>;

/** Telephony's refusals of a text, shown on the page in plain words (the login keeps waiting). */
const TELEPHONY_REFUSALS = [
  'TELEPHONY_LIMITED',
  'TELEPHONY_BUDGET_EXCEEDED',
  'TELEPHONY_FAILED',
  'TELEPHONY_DISABLED',
] as const;

/** Registers the method routes under /flows/:flowId (the prompt API's prefix is /prompt/api). */
export function registerMethodRoutes(fastify: FastifyInstance, options: PromptOptions): void {
  const { deps } = options;
  const origin = () => new URL(options.publicUrl()).origin;
  const ctx = { deps, organization: options.organization, helpUrl: options.helpUrl };
  /** The flow and a transaction open for a factor (a new one after a retryable failure). */
  const openFlow = async (request: FlowRequest) => {
    const current = await requireFlow(deps, request, origin());
    return ensureTransaction(deps, current, readCookie(request, REMEMBER_COOKIE));
  };

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/push',
    schema: { params: FlowParams, body: PushBody },
    handler: async (request) => {
      const { loaded, tx } = await openFlow(request);
      if (tx.state !== 'awaiting_factor') return describeFlow(ctx, loaded, tx);
      const { tx: pushed } = await startFactor(deps, tx.id, 'push', {
        device: request.body.device ?? 'auto',
        automatic: request.body.automatic === true,
        // The prompt shows the verified-push number next to the live status.
        canShowCode: true,
      });
      return describeFlow(ctx, loaded, pushed);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/sms',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request) => {
      const { loaded, tx } = await openFlow(request);
      if (isFinal(tx.state)) return describeFlow(ctx, loaded, tx);
      try {
        // The login keeps waiting: the user types one of the texted codes in the passcode field.
        const waiting = await textPasscodes(deps, tx.id, { device: 'auto', end: false });
        return describeFlow(ctx, loaded, waiting, {
          tone: 'info',
          text: 'We sent you a text message with codes. Enter one of them below.',
        });
      } catch (error) {
        if (!isCountersignError(error, ...TELEPHONY_REFUSALS)) throw error;
        const limited = error.code !== 'TELEPHONY_FAILED' && error.code !== 'TELEPHONY_DISABLED';
        const words = reasonWords(limited ? 'telephony_limited' : 'telephony_failed');
        return describeFlow(ctx, loaded, tx, { tone: 'error', text: words });
      }
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/call',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request) => {
      const { loaded, tx } = await openFlow(request);
      if (tx.state !== 'awaiting_factor') return describeFlow(ctx, loaded, tx);
      // A call is decided like a push: the page follows it with the same live status.
      const { tx: calling } = await startFactor(deps, tx.id, 'phone', { device: 'auto' });
      return describeFlow(ctx, loaded, calling);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/passcode',
    schema: { params: FlowParams, body: PasscodeBody },
    handler: async (request) => {
      const { passcode } = request.body;
      const { loaded, tx } = await openFlow(request);
      if (isFinal(tx.state)) return describeFlow(ctx, loaded, tx);
      return describeFlow(ctx, loaded, await submitPasscode(deps, tx.id, passcode.replace(/\s/g, '')));
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/webauthn/options',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request) => {
      const { tx } = await openFlow(request);
      if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', tx.id);
      return (await startFactor(deps, tx.id, 'webauthn', { rp: options.rp() })).shown;
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/webauthn',
    schema: { params: FlowParams, body: WebauthnBody },
    handler: async (request) => {
      const loaded = await requireFlow(deps, request, origin());
      const tx = await flowTransaction(deps, loaded);
      // The answer belongs to the transaction whose challenge it signed: never a new one.
      if (!tx || isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', tx?.id);
      const response = request.body.response as AuthenticationResponseJSON;
      const moved = await answerFactor(deps, tx.id, 'webauthn', { response, rp: options.rp() });
      return describeFlow(ctx, loaded, moved);
    },
  });
}
