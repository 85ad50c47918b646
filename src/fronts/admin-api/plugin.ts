// Duo's Admin API as an encapsulated Fastify plugin: verify the signature, check the grant and parameters, call the core.
import type { FastifyPluginAsync } from 'fastify';
import { recordRefusal } from '../../core/admin/record-refusal.ts';
import { setUpDuoApi } from '../duo-api/duo-api-setup.ts';
import { DuoApiError, sendOk } from '../duo-api/envelope.ts';
import { integrationCache } from '../duo-api/integration-cache.ts';
import { replayRefusal } from '../duo-api/refuse-replay.ts';
import { callVerifier } from '../duo-api/verify-call.ts';
import { addRoute } from '../web-common/add-route.ts';
import { checkedByHandler } from '../web-common/check-schema.ts';
import { openApiDocument } from './openapi.ts';
import { readParams } from './params.ts';
import type { AdminApiContext, AdminRoute } from './route.ts';
import { ADMIN_ROUTES } from './routes.ts';

export interface AdminApiOptions extends AdminApiContext {
  skewSeconds: number;
  /** The configured public hostname, also accepted as the signed host. */
  publicHost?: string;
}

/** Integration types allowed to call the Admin API. */
const ADMIN_API_TYPES = ['admin-api'];

/** The path of the generated OpenAPI document, below the plugin's prefix. */
export const OPENAPI_PATH = '/openapi.json';

/** `/v1/users/{user_id}` as Fastify writes it: `/v1/users/:user_id`. */
export const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Duo's 403: the integration lacks the grant this call needs. */
const forbidden = (grant: string) =>
  new DuoApiError(403, 40301, 'Access forbidden', `this integration lacks the '${grant}' permission`);

/**
 * The route's parameters described for Fastify but checked by the handler (params.ts), after the signature holds
 * and in Duo's envelope: signed parameters in the query of a GET or DELETE and the body of a POST.
 */
export function routeSchema(route: AdminRoute) {
  const signed = checkedByHandler(route.params);
  return {
    summary: route.summary,
    ...(Object.keys(route.pathParams.properties).length > 0 && {
      params: checkedByHandler(route.pathParams),
    }),
    ...(route.method === 'POST' ? { body: signed } : { querystring: signed }),
  };
}

export const adminApiPlugin: FastifyPluginAsync<AdminApiOptions> = async (fastify, options) => {
  // Mounted at `/admin`, one of DUO_API_PREFIXES: the server's duoNotFoundPlugin answers unknown paths.
  setUpDuoApi(fastify, { ownNotFound: false });
  const { deps } = options;
  const verified = callVerifier({
    lookup: integrationCache(deps, ADMIN_API_TYPES),
    clock: deps.clock,
    skewSeconds: options.skewSeconds,
    ...(options.publicHost !== undefined && { publicHost: options.publicHost }),
  });
  // A POST (a create or a change) is accepted once: the same signed request sent again (a replay) is refused on
  // any node. Reads and DELETEs may repeat: Duo's DELETE of something already deleted succeeds, so a repeat
  // within the signature's second is harmless.
  const refuseReplay = replayRefusal(deps, {
    prefix: fastify.prefix,
    skewMs: options.skewSeconds * 1000,
    namespace: 'duo-admin-api',
    isSingleUse: (call) => call.startsWith('POST '),
  });

  const document = openApiDocument(ADMIN_ROUTES, fastify.prefix, OPENAPI_PATH);
  // The description of the API is public, as Duo's documentation is: it holds no data.
  addRoute(fastify, {
    method: 'GET',
    url: OPENAPI_PATH,
    schema: {},
    handler: async (_request, reply) => reply.type('application/json').send(document),
  });

  for (const route of ADMIN_ROUTES) {
    addRoute(fastify, {
      method: route.method,
      url: fastifyPath(route.path),
      schema: routeSchema(route),
      handler: async (request, reply) => {
        const { integration, params, signed } = await verified(request);
        const app = integration.app;
        const actor = `admin-api:${app.ikey}`;
        if (!app.permissions.includes(route.grant)) {
          await recordRefusal(deps, actor, { call: `${route.method} ${route.path}`, needs: route.grant });
          throw forbidden(route.grant);
        }
        const path = readParams(route.pathParams, [], request.params as Record<string, string>);
        const checked = readParams(route.params, params);
        await refuseReplay(request, signed);
        const answer = await route.handler(options, {
          actor,
          grants: app.permissions,
          ikey: app.ikey,
          params: checked,
          path,
        });
        return sendOk(reply, answer.response, answer.metadata);
      },
    });
  }
};
