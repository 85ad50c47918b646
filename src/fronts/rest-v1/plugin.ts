// Duo's legacy REST v1 (duo_unix 1.x: Debian's and Ubuntu's pam_duo and login_duo) as an encapsulated plugin.
import type { TObject } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { readRequest } from '../duo-api/read-request.ts';
import { addRoute } from '../web-common/add-route.ts';
import { auth } from './auth.ts';
import { fail, ok, sendBson } from './bson-reply.ts';
import type { RestV1Context, V1Handler } from './context.ts';
import { type DenialForm, denial, describeFailure } from './denial.ts';
import { preauth } from './preauth.ts';
import { AuthParams, PreauthParams, StatusParams } from './schemas.ts';
import { status } from './status.ts';
import { type V1Verifier, verifyV1Call } from './verify-call.ts';

export interface RestV1Options extends RestV1Context {
  /** The configured public hostname, also accepted as the signed host. */
  publicHost?: string;
}

/** Largest body a REST v1 call may carry (duo_unix sends a few hundred bytes). */
const BODY_LIMIT = 64 * 1024;

interface Route {
  method: 'GET' | 'POST';
  url: string;
  /** Its parameters, checked by the handler (schemas.ts). */
  params: TObject;
  handler: V1Handler;
  /** How this call reports a denial to the client, given the parameters it sent (null when unread). */
  denial: (params: Map<string, string> | null) => DenialForm;
}

// Async auth wants a txid: its denials are FAIL envelopes. Everything else shows the user a `status` line.
const ROUTES: Route[] = [
  { method: 'POST', url: '/preauth.bson', params: PreauthParams, handler: preauth, denial: () => 'result' },
  {
    method: 'POST',
    url: '/auth.bson',
    params: AuthParams,
    handler: auth,
    denial: (params) => (params?.get('async') === '0' ? 'result' : 'fail'),
  },
  { method: 'GET', url: '/status.bson', params: StatusParams, handler: status, denial: () => 'result' },
];

/**
 * Serves preauth, auth and status for applications with REST v1 switched on. Every answer is HTTP 200 BSON except
 * a refused signature (401): see denial.ts for why nothing else may be a 401 or a 5xx. Unknown paths are 404s,
 * which duo_unix reads as a denial.
 */
export const restV1Plugin: FastifyPluginAsync<RestV1Options> = async (fastify, options) => {
  // Raw bodies: the signature covers the decoded form pairs, read by readRequest.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  const verify: V1Verifier = verifyV1Call(options);
  // Which parameters a request carried, for its error handler (set once the signature covered them).
  const paramsOf = new WeakMap<FastifyRequest, Map<string, string>>();
  const routeOf = (request: FastifyRequest) =>
    ROUTES.find((route) => `${fastify.prefix}${route.url}` === request.routeOptions.url);

  fastify.setErrorHandler((error, request, reply) => {
    const { unexpected } = describeFailure(error);
    if (unexpected) request.log.error({ err: error }, 'REST v1 call failed');
    const route = routeOf(request);
    return sendBson(reply, denial(route?.denial(paramsOf.get(request) ?? null) ?? 'fail', error));
  });
  fastify.setNotFoundHandler((_request, reply) => sendBson(reply, fail(40401, 'Resource not found'), 404));

  for (const route of ROUTES) {
    addRoute(fastify, {
      method: route.method,
      url: route.url,
      schema: route.method === 'GET' ? { querystring: route.params } : { body: route.params },
      handler: async (request, reply) => {
        const verified = await verify(readRequest(request));
        if (!verified.ok) return sendBson(reply, fail(verified.code, verified.message), 401);
        paramsOf.set(request, verified.params);
        const aborted = new AbortController();
        // Only a response closed before it finished means the client went away (see the Auth API plugin).
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) aborted.abort();
        });
        const response = await route.handler(options, {
          app: verified.app,
          params: verified.params,
          signal: aborted.signal,
        });
        return sendBson(reply, ok(response));
      },
    });
  }
};
