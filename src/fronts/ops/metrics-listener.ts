// The metrics listener: /metrics alone, on an address of its own (loopback by default), run by `countersign serve`.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Clock } from '../../core/clock.ts';
import { capConnections, listenerOptions, refusalReporter } from '../../http/listener-limits.ts';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { type Metrics, sendMetrics } from './metrics.ts';

export interface MetricsListener {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`. */
  url: string;
  close(): Promise<void>;
}

/** Starts serving `metrics` on `config.metrics.host:port`, under the same request and connection limits as HTTP. */
export async function startMetricsListener(
  metrics: Metrics,
  config: Pick<Config, 'http' | 'metrics'>,
  context: { log: FastifyBaseLogger; clock: Clock },
): Promise<MetricsListener> {
  const fastify = Fastify({ logger: false, ...listenerOptions(config.http) });
  capConnections(
    fastify.server,
    config.http,
    refusalReporter({ counter: metrics.connectionsRefused, log: context.log, clock: context.clock }),
  );
  installJsonErrors(fastify, { notFound: true });
  addRoute(fastify, {
    method: 'GET',
    url: '/metrics',
    schema: { hide: true },
    handler: (_request, reply) => sendMetrics(metrics, reply),
  });
  const { host, port } = config.metrics;
  try {
    await fastify.listen({ host, port });
  } catch (error) {
    await fastify.close();
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `the metrics listener cannot listen on ${host}:${port} (${reason}): set metrics.port (COUNTERSIGN_METRICS_PORT), or metrics.enabled = false`,
    );
  }
  const address = fastify.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${bound}/metrics`, close: () => fastify.close() };
}
