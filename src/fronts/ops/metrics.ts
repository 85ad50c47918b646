// Prometheus metrics for one process: HTTP traffic, authentication outcomes and dropped RADIUS datagrams.
import type { FastifyReply } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { scrapeThroughPrimary } from './metrics-relay.ts';

export interface Metrics {
  registry: Registry;
  /** The text a scrape answers: this registry's, or in a serve worker the sum over all workers. */
  exposition: () => Promise<string>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  authOutcomes: Counter<'front' | 'result' | 'status'>;
  /** Labels are bounded: `client` is a configured client's name or "(unknown)", `reason` one of radius/drop-summary.ts's DROP_REASONS. */
  radiusDrops: Counter<'client' | 'reason'>;
  connectionsRefused: Counter<'reason'>;
}

/**
 * Creates the metrics registry (one per server, so tests can run several in a process). `sumOverWorkers` (a serve
 * worker, config `workers` > 1; once per process) makes scrapes answer the whole server's figures.
 */
export function createMetrics(options: { sumOverWorkers?: boolean } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'countersign_' });
  return {
    registry,
    exposition: options.sumOverWorkers ? scrapeThroughPrimary(registry) : () => registry.metrics(),
    httpRequests: new Counter({
      name: 'countersign_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'countersign_http_request_duration_seconds',
      help: 'Time to answer HTTP requests.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60],
      registers: [registry],
    }),
    authOutcomes: new Counter({
      name: 'countersign_authentications_total',
      help: 'Finished authentications, by front, result and status.',
      labelNames: ['front', 'result', 'status'],
      registers: [registry],
    }),
    radiusDrops: new Counter({
      name: 'countersign_radius_dropped_total',
      help: 'RADIUS datagrams dropped without an answer, by client ("(unknown)" for unknown sources) and reason.',
      labelNames: ['client', 'reason'],
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'countersign_http_connections_refused_total',
      help: 'HTTP connections closed on arrival, by the cap they hit (total, per_address).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/** Answers a scrape: the metrics in Prometheus text format. */
export async function sendMetrics(metrics: Metrics, reply: FastifyReply): Promise<FastifyReply> {
  return reply.type(metrics.registry.contentType).send(await metrics.exposition());
}
