// The Duo-compatible Auth API v2 as an encapsulated Fastify plugin: parse, verify the signature, call the core.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { verifyDuoRequest } from '../../crypto/duo-signature/index.ts';
import { DuoApiError, sendFail, sendOk, toDuoError } from './envelope.ts';
import { integrationCache } from './integration-cache.ts';
import { enroll, enrollStatus } from './push-routes.ts';
import { readRequest } from './read-request.ts';
import { replayRefusal } from './refuse-replay.ts';
import { type AuthApiContext, auth, authStatus, check, type Handler, logo, preauth } from './routes.ts';

export interface AuthApiOptions extends AuthApiContext {
  skewSeconds: number;
  /** The configured public hostname, also accepted as the signed host. */
  publicHost?: string;
}

/** Integration types allowed to call the Auth API. */
const AUTH_API_TYPES = ['auth-api'];

const ROUTES: Array<{ method: 'GET' | 'POST'; url: string; handler: Handler }> = [
  { method: 'GET', url: '/check', handler: check },
  { method: 'POST', url: '/check', handler: check },
  { method: 'POST', url: '/preauth', handler: preauth },
  { method: 'POST', url: '/auth', handler: auth },
  { method: 'GET', url: '/auth_status', handler: authStatus },
  { method: 'POST', url: '/enroll', handler: enroll },
  { method: 'POST', url: '/enroll_status', handler: enrollStatus },
];

export const authApiPlugin: FastifyPluginAsync<AuthApiOptions> = async (fastify, options) => {
  const lookup = integrationCache(options.deps, AUTH_API_TYPES);
  const refuseReplay = replayRefusal(options.deps, fastify.prefix, options.skewSeconds * 1000);

  // Signatures cover exact bytes: keep every body raw and decode it ourselves.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error, request, reply) => {
    const duoError = toDuoError(error);
    if (duoError.httpStatus >= 500) request.log.error({ err: error }, 'auth api failure');
    return sendFail(reply, duoError);
  });
  fastify.setNotFoundHandler((_request, reply) =>
    sendFail(reply, new DuoApiError(404, 40401, 'Resource not found')),
  );

  async function verified(request: FastifyRequest) {
    const read = readRequest(request);
    let integration = null;
    const result = await verifyDuoRequest(read.signed, {
      lookupSecret: async (ikey) => {
        integration = await lookup(ikey);
        return integration?.skey ?? null;
      },
      nowMs: options.deps.clock.now(),
      skewMs: options.skewSeconds * 1000,
      ...(options.publicHost !== undefined && { publicHost: options.publicHost }),
    });
    if (!result.ok) throw new DuoApiError(result.httpStatus, result.code, result.message, result.detail);
    await refuseReplay(request, read.signed);
    return { app: integration!.app, params: read.params };
  }

  // Wire reference §2.6: ping is unsigned, and credentials on it are ignored.
  fastify.get('/ping', async (_request, reply) =>
    sendOk(reply, { time: Math.floor(options.deps.clock.now() / 1000) }),
  );

  fastify.get('/logo', async (request, reply) => {
    await verified(request);
    return reply
      .code(200)
      .type('image/png')
      .send(await logo(options));
  });

  for (const route of ROUTES) {
    fastify.route({
      method: route.method,
      url: route.url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const { app, params } = await verified(request);
        const aborted = new AbortController();
        // The request stream emits 'close' as soon as its body is read (Node 16+); only a response
        // closed before it finished means the client went away and a long poll can stop.
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) aborted.abort();
        });
        const response = await route.handler(options, { app, params, signal: aborted.signal });
        return sendOk(reply, response);
      },
    });
  }
};
