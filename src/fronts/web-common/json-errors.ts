// One error answer for every JSON front: registry code → status, the registry's message, the detail in the logs only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CountersignError, type ErrorCode, isCountersignError, publicMessage } from '../../core/errors.ts';
import { retryAfterHeader, STATUS_BY_KIND } from './status-by-kind.ts';

/** The body of every error a JSON front sends: a registry code for scripts, words for people. */
export interface JsonErrorBody {
  error: ErrorCode;
  message: string;
}

/**
 * A refusal of the request by Fastify or a plugin (unparsable body, wrong content type, too large, a bad range):
 * its 4xx status is kept. Fastify's own messages (`FST_*` codes) describe the caller's request only, so they are
 * shown; a plugin's message is not.
 */
function requestRefusal(error: unknown): { status: number; shown: string | undefined } | null {
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  const fastifys = typeof code === 'string' && code.startsWith('FST_');
  return { status: statusCode, shown: fastifys ? String(message) : undefined };
}

/**
 * The registry error and HTTP status any thrown value is answered with: ours by their kind, refusals of the
 * request as INVALID_REQUEST with their own 4xx status, anything else INTERNAL.
 */
export function classifyError(error: unknown): { error: CountersignError; status: number } {
  if (isCountersignError(error)) return { error, status: STATUS_BY_KIND[error.kind] };
  const refusal = requestRefusal(error);
  if (refusal) {
    const code = refusal.status === 404 ? 'ROUTE_NOT_FOUND' : 'INVALID_REQUEST';
    return { error: new CountersignError(code, refusal.shown), status: refusal.status };
  }
  return { error: new CountersignError('INTERNAL'), status: 500 };
}

/** Sends `error` as `{ error, message }` with its status, and `Retry-After` when it says when to try again. */
export function sendJsonError(reply: FastifyReply, error: CountersignError, status: number): FastifyReply {
  const retryAfter = retryAfterHeader(error);
  if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
  const body: JsonErrorBody = { error: error.code, message: publicMessage(error) };
  return reply.code(status).send(body);
}

function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const classified = classifyError(error);
  const { code, kind, detail } = classified.error;
  if (classified.status >= 500) {
    request.log.error({ err: error, code }, 'request failed');
  } else {
    // The detail names what was wrong for operators; the caller sees only the registry's words.
    const cause = error === classified.error ? undefined : (error as Error).message;
    request.log[kind === 'limited' ? 'debug' : 'info']({ code, detail, cause }, 'request refused');
  }
  return sendJsonError(reply, classified.error, classified.status);
}

function answerNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendJsonError(reply, new CountersignError('ROUTE_NOT_FOUND'), 404);
}

/**
 * Makes an encapsulated JSON front answer every error the same way (docs/errors.md). With `notFound`, unknown
 * paths under the front's prefix get ROUTE_NOT_FOUND too (only for a front registered with a prefix of its own).
 */
export function installJsonErrors(fastify: FastifyInstance, options: { notFound?: boolean } = {}): void {
  fastify.setErrorHandler(answerError);
  if (options.notFound) fastify.setNotFoundHandler(answerNotFound);
}
