// Limits every HTTP listener applies: how long a client may take to send a request, and how many connections it holds.
import type { Server, Socket } from 'node:net';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { addressMatcher, clientKey } from './peer-address.ts';

export type HttpLimits = Config['http'];

/** Why a connection was closed on arrival (the label of the refused-connections counter). */
export type RefusalReason = 'total' | 'per_address';

/**
 * Fastify options carrying the timeouts. Node enforces `headersTimeout`/`requestTimeout` from the server's own
 * options, checking every `connectionsCheckingInterval`; Fastify then sets `requestTimeout` and
 * `keepAliveTimeout` from its options, so both places get the same values.
 */
export function listenerOptions(limits: HttpLimits, tls?: { cert: Buffer; key: Buffer }) {
  const server = {
    headersTimeout: limits.headers_timeout_ms,
    requestTimeout: limits.request_timeout_ms,
    keepAliveTimeout: limits.keep_alive_timeout_ms,
    connectionsCheckingInterval: limits.connections_check_interval_ms,
  };
  return {
    requestTimeout: limits.request_timeout_ms,
    keepAliveTimeout: limits.keep_alive_timeout_ms,
    // No idle timeout on a socket with a request in progress: a synchronous push or the device live channel may
    // send nothing for minutes. Slow or silent clients are bounded by the timeouts above instead: headersTimeout
    // until a request's headers are in, requestTimeout until its body is, keepAliveTimeout between requests.
    connectionTimeout: 0,
    // The header timer starts once TLS is up; until then the handshake timeout bounds a silent client.
    ...(tls
      ? { https: { ...server, ...tls, handshakeTimeout: limits.headers_timeout_ms } }
      : { http: server }),
  };
}

/**
 * Closes connections past `max_connections` (Node's `maxConnections`, checked before accepting) and past
 * `max_connections_per_address` for one client as soon as they arrive. Trusted proxies carry many clients'
 * requests on their connections, so only the total cap applies to them.
 */
export function capConnections(
  server: Server,
  limits: HttpLimits,
  refused: (reason: RefusalReason, address: string) => void,
): void {
  server.maxConnections = limits.max_connections;
  server.on('drop', (data?: { remoteAddress?: string }) =>
    refused('total', data?.remoteAddress ?? 'unknown'),
  );
  if (limits.max_connections_per_address === 0) return;
  const isProxy = addressMatcher(limits.trusted_proxies);
  const open = new Map<string, number>();
  // Prepended: a refused socket is destroyed before the HTTP (or TLS) layer reads a byte from it.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy();
      return;
    }
    if (isProxy(address)) return;
    const key = clientKey(address);
    const count = open.get(key) ?? 0;
    if (count >= limits.max_connections_per_address) {
      socket.destroy();
      refused('per_address', address);
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}

/** Where refusals go: a counter labelled by reason, and a log to warn in. */
export interface RefusalSinks {
  counter: { inc(labels: { reason: RefusalReason }): void };
  log: { warn(details: Record<string, unknown>, message: string): void };
  clock: Clock;
}

const HINTS: Record<RefusalReason, string> = {
  total: 'http.max_connections reached',
  per_address:
    'http.max_connections_per_address reached; if that address is a reverse proxy, list it in http.trusted_proxies',
};

/** Counts every refusal and logs at most one warning a minute per reason, with how many it stands for. */
export function refusalReporter(sinks: RefusalSinks): (reason: RefusalReason, address: string) => void {
  const state = new Map<RefusalReason, { loggedAt: number; unlogged: number }>();
  return (reason, address) => {
    sinks.counter.inc({ reason });
    const now = sinks.clock.now();
    const entry = state.get(reason);
    if (entry && now - entry.loggedAt < 60_000) {
      entry.unlogged += 1;
      return;
    }
    sinks.log.warn(
      { reason, address, refusedSinceLastWarning: (entry?.unlogged ?? 0) + 1 },
      `connection refused: ${HINTS[reason]}`,
    );
    state.set(reason, { loggedAt: now, unlogged: 0 });
  };
}
