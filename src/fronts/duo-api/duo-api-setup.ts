// Makes an encapsulated Fastify instance speak a Duo API: raw bodies, and Duo's envelope for every error.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isCountersignError } from '../../core/errors.ts';
import { DuoApiError, sendFail, toDuoError } from './envelope.ts';

/** Largest request body a Duo API call may carry. */
const BODY_LIMIT = 256 * 1024;

/**
 * Keeps every body raw (signatures cover exact bytes; readRequest decodes them), and answers errors and
 * unknown paths in Duo's envelope. For any Duo-style API: the Auth API and the Admin API. An API mounted exactly
 * at one of DUO_API_PREFIXES passes `ownNotFound: false`: the server's duoNotFoundPlugin already answers there
 * (Fastify allows one not-found handler per prefix).
 */
export function setUpDuoApi(fastify: FastifyInstance, options: { ownNotFound?: boolean } = {}): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error, request, reply) => {
    const duoError = toDuoError(error);
    if (isCountersignError(error, 'STORE_UNAVAILABLE')) {
      request.log.error(
        { err: error },
        "the database failed: the login was not decided (503, the client's failmode applies)",
      );
    } else if (duoError.httpStatus >= 500) request.log.error({ err: error }, 'duo api failure');
    return sendFail(reply, duoError);
  });
  if (options.ownNotFound !== false) fastify.setNotFoundHandler(sendNotFound);
}

/** Duo's 404: `{"stat":"FAIL","code":40401,"message":"Resource not found"}`. */
function sendNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendFail(reply, new DuoApiError(404, 40401, 'Resource not found'));
}

/** Where Duo-style APIs live: every path under them answers in Duo's envelope. */
export const DUO_API_PREFIXES: readonly string[] = ['/auth', '/admin'];

/** True for a URL at or under a Duo prefix: `/auth`, `/auth/v3/x?y`, but not `/authx`. */
export function isDuoApiUrl(url: string): boolean {
  return DUO_API_PREFIXES.some((prefix) => {
    const next = url.charAt(prefix.length);
    return url.startsWith(prefix) && (next === '' || next === '/' || next === '?');
  });
}

/**
 * Register with `{ prefix }` for each of DUO_API_PREFIXES: unknown paths under it (any version, `/auth/v3/x`)
 * get Duo's 404 rather than Fastify's default body. The APIs mounted below keep their own handlers.
 */
export const duoNotFoundPlugin: FastifyPluginAsync = async (fastify) => {
  fastify.setNotFoundHandler(sendNotFound);
};
