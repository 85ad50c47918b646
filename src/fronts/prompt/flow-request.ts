// Per-request helpers of the prompt API: load the cookie's flow, check CSRF, answer errors in one JSON shape.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import { type LoadedFlow, loadPromptFlow } from '../../core/web/prompt-flow.ts';
import { WebauthnError } from '../../methods/webauthn/index.ts';
import { PROMPT_COOKIE, readCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import { retryAfterHeader, STATUS_BY_KIND } from '../web-common/status-by-kind.ts';

/** A refusal the page shows as is: HTTP status, a code for scripts, and words for people. */
export class PromptApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'PromptApiError';
    this.status = status;
    this.code = code;
  }
}

export const FLOW_GONE = new PromptApiError(
  404,
  'FLOW_NOT_FOUND',
  'This sign-in has expired or was started in another browser. Go back to the application and sign in again.',
);

/** Loads the flow named in the URL, bound to this browser's cookie; checks CSRF on state-changing requests. */
export async function requireFlow(
  deps: CoreDeps,
  request: FastifyRequest<{ Params: { flowId: string } }>,
  publicOrigin: string,
): Promise<LoadedFlow> {
  const loaded = await loadPromptFlow(deps, request.params.flowId, readCookie(request, PROMPT_COOKIE));
  if (!loaded) throw FLOW_GONE;
  try {
    checkCsrf(request, publicOrigin, loaded.session.csrf);
  } catch {
    throw new PromptApiError(403, 'CSRF', 'This page is out of date. Reload it and try again.');
  }
  return loaded;
}

/** A JSON body field as a string, or undefined. */
export function bodyField(request: FastifyRequest, name: string): unknown {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** Maps errors to `{ error, message }` JSON: ours as they are, the core's by kind, anything else as 500. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PromptApiError) {
    return reply.code(error.status).send({ error: error.code, message: error.message });
  }
  if (error instanceof WebauthnError) {
    return reply.code(400).send({ error: 'WEBAUTHN', message: 'No security key is registered for you.' });
  }
  if (error instanceof CountersignError) {
    const status = STATUS_BY_KIND[error.kind];
    const retryAfter = retryAfterHeader(error);
    if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
    const message =
      error.code === 'TRANSACTION_FINISHED'
        ? 'This step has already finished. Reload the page.'
        : error.message;
    return reply.code(status).send({ error: error.code, message });
  }
  reply.log.error(error);
  return reply.code(500).send({ error: 'INTERNAL', message: 'Something went wrong. Try again in a moment.' });
}

/** Wraps a route handler so every failure is answered by `sendError`. */
export function guarded<R extends FastifyRequest>(
  handler: (request: R, reply: FastifyReply) => Promise<unknown>,
): (request: R, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      return sendError(reply, error);
    }
  };
}
