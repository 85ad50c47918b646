// Operations endpoints: liveness, readiness and Prometheus metrics.
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../core/repositories.ts';
import type { Metrics } from './metrics.ts';

export interface OpsOptions {
  store: Store;
  metrics: Metrics;
  /** False while the process is shutting down: load balancers stop sending new logins. */
  isAccepting: () => boolean;
}

export const opsPlugin: FastifyPluginAsync<OpsOptions> = async (fastify, { store, metrics, isAccepting }) => {
  fastify.get('/healthz', async () => ({ status: 'ok' }));

  fastify.get('/readyz', async (_request, reply) => {
    const database = await store.ping().catch(() => false);
    const ready = database && isAccepting();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', database, accepting: isAccepting() });
  });

  fastify.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
