// The prompt API's second factors: push (with the verified-push number), passcode, security key (WebAuthn).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startPush } from '../../core/transaction/start-push.ts';
import { isFinal } from '../../core/transaction/states.ts';
import { submitPasscode } from '../../core/transaction/submit-passcode.ts';
import { submitWebauthn, webauthnOptionsForTransaction } from '../../core/transaction/submit-webauthn.ts';
import { ensureTransaction, flowTransaction } from '../../core/web/prompt-steps.ts';
import type { AuthenticationResponseJSON } from '../../methods/webauthn/index.ts';
import { REMEMBER_COOKIE, readCookie } from '../web-common/cookies.ts';
import type { PromptOptions } from './context.ts';
import { bodyField, guarded, PromptApiError, requireFlow } from './flow-request.ts';
import { describeFlow } from './flow-view.ts';

type FlowRequest = FastifyRequest<{ Params: { flowId: string } }>;

/** Registers the method routes under /prompt/api/flows/:flowId. */
export function registerMethodRoutes(fastify: FastifyInstance, options: PromptOptions): void {
  const { deps } = options;
  const origin = () => new URL(options.publicUrl()).origin;
  const ctx = { deps, organization: options.organization, helpUrl: options.helpUrl };
  const route = guarded<FlowRequest>;
  /** The flow and a transaction open for a factor (a new one after a retryable failure). */
  const openFlow = async (request: FlowRequest) => {
    const current = await requireFlow(deps, request, origin());
    return ensureTransaction(deps, current, readCookie(request, REMEMBER_COOKIE));
  };

  fastify.post(
    '/prompt/api/flows/:flowId/push',
    route(async (request) => {
      const { loaded, tx } = await openFlow(request);
      if (tx.state !== 'awaiting_factor') return describeFlow(ctx, loaded, tx);
      const device = bodyField(request, 'device');
      const pushed = await startPush(deps, tx.id, {
        device: typeof device === 'string' && device.length <= 64 ? device : 'auto',
        automatic: bodyField(request, 'automatic') === true,
        // The prompt shows the verified-push number next to the live status.
        canShowCode: true,
      });
      return describeFlow(ctx, loaded, pushed);
    }),
  );

  fastify.post(
    '/prompt/api/flows/:flowId/passcode',
    route(async (request) => {
      const passcode = bodyField(request, 'passcode');
      if (typeof passcode !== 'string' || passcode.length > 64) {
        throw new PromptApiError(400, 'INVALID_INPUT', 'Enter the passcode: 6 to 9 digits.');
      }
      const { loaded, tx } = await openFlow(request);
      if (isFinal(tx.state)) return describeFlow(ctx, loaded, tx);
      return describeFlow(ctx, loaded, await submitPasscode(deps, tx.id, passcode.replace(/\s/g, '')));
    }),
  );

  fastify.post(
    '/prompt/api/flows/:flowId/webauthn/options',
    route(async (request) => {
      const { tx } = await openFlow(request);
      if (isFinal(tx.state)) throw new PromptApiError(409, 'TRANSACTION_FINISHED', 'Reload the page.');
      return webauthnOptionsForTransaction(deps, tx.id, options.rp());
    }),
  );

  fastify.post(
    '/prompt/api/flows/:flowId/webauthn',
    route(async (request) => {
      const loaded = await requireFlow(deps, request, origin());
      const response = bodyField(request, 'response');
      if (typeof response !== 'object' || response === null) {
        throw new PromptApiError(400, 'INVALID_INPUT', 'The security key sent no answer.');
      }
      const tx = await flowTransaction(deps, loaded);
      // The answer belongs to the transaction whose challenge it signed: never a new one.
      if (!tx || isFinal(tx.state)) throw new PromptApiError(409, 'TRANSACTION_FINISHED', 'Reload the page.');
      const moved = await submitWebauthn(deps, tx.id, response as AuthenticationResponseJSON, options.rp());
      return describeFlow(ctx, loaded, moved);
    }),
  );
}
