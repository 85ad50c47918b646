// A TCP relay on 127.0.0.1 for fault tests: cut a store off from a live PostgreSQL, or stand in for a load balancer
// that sends new connections to whichever node is still alive.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Sends the connections opened from now on to `port` on 127.0.0.1 (open ones stay where they are). */
  retarget(port: number): void;
  /** Closes the relay and every connection through it. */
  cut(): Promise<void>;
}

/** Starts a relay to `host:port`; each accepted connection is piped to the target of that moment. */
export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  let current = { ...target };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(current.port, current.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    retarget(port) {
      current = { host: '127.0.0.1', port };
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
