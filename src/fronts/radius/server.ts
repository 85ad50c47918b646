// The RADIUS UDP listener: binds a node:dgram socket and feeds each datagram through the pipeline.
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { RadiusClient } from '../../core/admin/radius-client-table.ts';
import type { Clock } from '../../core/clock.ts';
import { createDropRecorder, type DropCounter } from './drop-summary.ts';
import {
  emptyStats,
  processDatagram,
  type RadiusHandler,
  type RadiusLogger,
  type RadiusStats,
} from './pipeline.ts';
import { createRetransmitCache } from './retransmit-cache.ts';

export interface RadiusServerOptions<C extends RadiusClient> {
  /** An IP literal; an IPv6 one (e.g. "::") gets a udp6 socket, which on Linux also receives IPv4. */
  host: string;
  /** 0 picks a free port; read it back with address(). */
  port: number;
  clients: (ip: string) => C | null;
  handler: RadiusHandler<C>;
  clock: Clock;
  logger?: RadiusLogger;
  /** Where every dropped datagram is counted by client and reason (the metrics' `radiusDrops`). */
  dropCounter?: DropCounter;
  /** How long a reply is kept for retransmissions (default 120 s). */
  retransmitTtlMs?: number;
}

export interface RadiusServer {
  /** The UDP port the server is bound to. */
  address(): number;
  /** A snapshot of the outcome counters. */
  stats(): RadiusStats;
  /** Stops listening and logs the drops not yet summarised; replies of handlers still running are discarded. */
  close(): Promise<void>;
}

/** Thrown when the server options are unusable. */
export class RadiusServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RadiusServerConfigError';
  }
}

const silentLogger: RadiusLogger = { debug() {}, warn() {}, error() {} };

/** Starts a RADIUS authentication server; resolves once the socket is bound. */
export async function createRadiusServer<C extends RadiusClient>(
  options: RadiusServerOptions<C>,
): Promise<RadiusServer> {
  const family = isIP(options.host);
  if (family === 0) throw new RadiusServerConfigError(`RADIUS host "${options.host}" must be an IP address`);
  const logger = options.logger ?? silentLogger;
  const stats = emptyStats();
  const deps = {
    clients: options.clients,
    handler: options.handler,
    cache: createRetransmitCache({ clock: options.clock, ttlMs: options.retransmitTtlMs }),
    stats,
    logger,
    drops: createDropRecorder({
      clock: options.clock,
      logger,
      ...(options.dropCounter && { counter: options.dropCounter }),
    }),
  };
  const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
  let closed = false;

  socket.on('message', (datagram, remote) => {
    const source = { address: remote.address, port: remote.port };
    processDatagram(deps, datagram, source).then(
      (reply) => {
        if (reply && !closed) send(socket, reply, source, logger);
      },
      (error: unknown) => logger.error({ source, err: error }, 'RADIUS datagram processing failed'),
    );
  });
  socket.on('error', (error) => logger.error({ err: error }, 'RADIUS socket error'));

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    deps.drops.stop();
    throw error;
  }

  return {
    address: () => socket.address().port,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        deps.drops.stop();
        socket.close(() => resolve());
      }),
  };
}

function send(
  socket: Socket,
  reply: Buffer,
  to: { address: string; port: number },
  logger: RadiusLogger,
): void {
  try {
    socket.send(reply, to.port, to.address, (error) => {
      if (error) logger.warn({ source: to, err: error }, 'RADIUS reply could not be sent');
    });
  } catch (error) {
    logger.warn({ source: to, err: error }, 'RADIUS reply could not be sent');
  }
}
