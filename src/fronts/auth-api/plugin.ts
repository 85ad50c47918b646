// The Duo-compatible Auth API v2 as an encapsulated Fastify plugin: parse, verify the signature, call the core.
import type { TObject } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { isCountersignError } from '../../core/errors.ts';
import { setUpDuoApi } from '../duo-api/duo-api-setup.ts';
import { sendOk } from '../duo-api/envelope.ts';
import { integrationCache } from '../duo-api/integration-cache.ts';
import { replayRefusal } from '../duo-api/refuse-replay.ts';
import { callVerifier, paramsByName } from '../duo-api/verify-call.ts';
import { addRoute } from '../web-common/add-route.ts';
import { checkedByHandler } from '../web-common/check-schema.ts';
import { answeredVersions } from './answered-versions.ts';
import { enroll, enrollStatus } from './push-routes.ts';
import { type AuthApiContext, auth, authStatus, check, type Handler, logo, preauth } from './routes.ts';
import {
  AuthParams,
  AuthStatusParams,
  CheckParams,
  EnrollParams,
  EnrollStatusParams,
  PreauthParams,
} from './schemas.ts';

export interface AuthApiOptions extends AuthApiContext {
  skewSeconds: number;
  /** The configured public hostname, also accepted as the signed host. */
  publicHost?: string;
}

/**
 * Calls that start a transaction (a push, a passcode check) or create something are refused on a second use;
 * read-only calls stay repeatable.
 */
const SINGLE_USE = new Set(['POST /auth', 'POST /enroll']);

/** Integration types allowed to call the Auth API. */
const AUTH_API_TYPES = ['auth-api'];

const ROUTES: Array<{ method: 'GET' | 'POST'; url: string; params: TObject; handler: Handler }> = [
  { method: 'GET', url: '/check', params: CheckParams, handler: check },
  { method: 'POST', url: '/check', params: CheckParams, handler: check },
  { method: 'POST', url: '/preauth', params: PreauthParams, handler: preauth },
  { method: 'POST', url: '/auth', params: AuthParams, handler: auth },
  { method: 'GET', url: '/auth_status', params: AuthStatusParams, handler: authStatus },
  { method: 'POST', url: '/enroll', params: EnrollParams, handler: enroll },
  { method: 'POST', url: '/enroll_status', params: EnrollStatusParams, handler: enrollStatus },
];

/** Signed parameters travel in the query of a GET and the body of a POST; the handlers check them (schemas.ts). */
function signedParams(method: 'GET' | 'POST', params: TObject) {
  const described = checkedByHandler(params);
  return method === 'GET' ? { querystring: described } : { body: described };
}

export const authApiPlugin: FastifyPluginAsync<AuthApiOptions> = async (fastify, options) => {
  setUpDuoApi(fastify);
  const verified = callVerifier({
    lookup: integrationCache(options.deps, AUTH_API_TYPES),
    clock: options.deps.clock,
    skewSeconds: options.skewSeconds,
    ...(options.publicHost !== undefined && { publicHost: options.publicHost }),
  });
  const refuseReplay = replayRefusal(options.deps, {
    prefix: fastify.prefix,
    skewMs: options.skewSeconds * 1000,
    namespace: 'duo-auth-api',
    isSingleUse: (call) => SINGLE_USE.has(call),
  });
  const answered = answeredVersions();

  // Wire reference §2.6: ping is unsigned, and credentials on it are ignored.
  addRoute(fastify, {
    method: 'GET',
    url: '/ping',
    schema: {},
    handler: async (_request, reply) => sendOk(reply, { time: Math.floor(options.deps.clock.now() / 1000) }),
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/logo',
    schema: signedParams('GET', CheckParams),
    handler: async (request, reply) => {
      await verified(request);
      return reply
        .code(200)
        .type('image/png')
        .send(await logo(options));
    },
  });

  for (const route of ROUTES) {
    addRoute(fastify, {
      method: route.method,
      url: route.url,
      schema: signedParams(route.method, route.params),
      handler: async (request, reply) => {
        // Handlers read only the parameters the signature covered (issue 9.2).
        const { integration, params, signed } = await verified(request);
        const release = await refuseReplay(request, signed);
        const app = integration.app;
        const aborted = new AbortController();
        // The request stream emits 'close' as soon as its body is read (Node 16+); only a response
        // closed before it finished means the client went away and a long poll can stop.
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) aborted.abort();
        });
        try {
          const response = await route.handler(options, {
            app,
            params: paramsByName(params),
            signal: aborted.signal,
            answered,
          });
          return sendOk(reply, response);
        } catch (error) {
          // A rate-limited request did nothing: its client may retry the identical signed request.
          if (isCountersignError(error, 'RATE_LIMITED')) await release();
          throw error;
        }
      },
    });
  }
};
