// Operations endpoints: liveness, readiness, and Prometheus metrics when a bearer token is configured for them.
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../core/repositories.ts';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { bearerMatches } from './bearer-token.ts';
import { type Metrics, sendMetrics } from './metrics.ts';

export interface OpsOptions {
  store: Store;
  metrics: Metrics;
  /** False while the process is shutting down: load balancers stop sending new logins. */
  isAccepting: () => boolean;
  /** `metrics.token`: serve /metrics here to that bearer only; unset, metrics live on their own listener. */
  metricsToken?: string | undefined;
}

export const opsPlugin: FastifyPluginAsync<OpsOptions> = async (
  fastify,
  { store, metrics, isAccepting, metricsToken },
) => {
  installJsonErrors(fastify);
  addRoute(fastify, { method: 'GET', url: '/healthz', schema: {}, handler: async () => ({ status: 'ok' }) });

  addRoute(fastify, {
    method: 'GET',
    url: '/readyz',
    schema: {},
    handler: async (_request, reply) => {
      const database = await store.ping().catch(() => false);
      const ready = database && isAccepting();
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not ready', database, accepting: isAccepting() });
    },
  });

  if (metricsToken === undefined) return;
  addRoute(fastify, {
    method: 'GET',
    url: '/metrics',
    schema: { hide: true },
    handler: async (request, reply) =>
      // A wrong or missing token gets the same 404 as an unknown path: the endpoint's existence is not disclosed.
      bearerMatches(request.headers.authorization, metricsToken)
        ? sendMetrics(metrics, reply)
        : reply.callNotFound(),
  });
};
