// Starts the RADIUS front for a running Countersign: the stored client table, the handler and the UDP server.
import type { Countersign } from '../../app.ts';
import type { Metrics } from '../ops/metrics.ts';
import { watchRadiusClients } from './client-watcher.ts';
import { createAccessRequestHandler } from './handle-access-request.ts';
import type { RadiusLogger, RadiusStats } from './pipeline.ts';
import { createRadiusServer } from './server.ts';

export interface StartRadiusOptions {
  /** An IP literal (config.radius.host). */
  host: string;
  /** Default 1812 (config.radius.port); 0 picks a free port. */
  port?: number;
  log: RadiusLogger;
  /** How often the client table is re-read from the store (default 5 s). */
  reloadMs?: number;
  /** The process's metrics (the HTTP server's), where dropped datagrams are counted. */
  metrics?: Pick<Metrics, 'radiusDrops'>;
}

export interface RunningRadius {
  port: number;
  /** Re-reads the client table now (the server also does so every few seconds). */
  reloadClients(): Promise<void>;
  stats(): RadiusStats;
  close(): Promise<void>;
}

/** Listens for Access-Requests from the stored RADIUS clients until close(). */
export async function startRadius(
  countersign: Countersign,
  options: StartRadiusOptions,
): Promise<RunningRadius> {
  const { deps } = countersign;
  const clients = await watchRadiusClients(deps, {
    logger: options.log,
    ...(options.reloadMs !== undefined && { intervalMs: options.reloadMs }),
  });
  try {
    const server = await createRadiusServer({
      host: options.host,
      port: options.port ?? 1812,
      clients: clients.find,
      handler: createAccessRequestHandler(deps, options.log),
      clock: deps.clock,
      logger: options.log,
      ...(options.metrics && { dropCounter: options.metrics.radiusDrops }),
    });
    return {
      port: server.address(),
      reloadClients: clients.reload,
      stats: server.stats,
      async close() {
        clients.stop();
        await server.close();
      },
    };
  } catch (error) {
    clients.stop();
    throw error;
  }
}
