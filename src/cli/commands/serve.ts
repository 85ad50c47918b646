// `countersign serve` and `countersign start`: run the servers until a signal, then shut down gracefully.
import { openCountersign } from '../../app.ts';
import { scheduleDirectorySync } from '../../core/directory/schedule-sync.ts';
import { createHttpServer } from '../../server.ts';
import type { Command, Invocation } from '../command.ts';
import { configFor } from '../context.ts';
import { initialize } from './init.ts';

/** Runs until SIGINT/SIGTERM; in-flight requests finish before the process exits. */
async function serve(invocation: Invocation, announce: (url: string) => string): Promise<void> {
  const config = configFor(invocation);
  const countersign = await openCountersign(config);
  const http = createHttpServer(countersign);
  const url = await http.listen();
  const directorySync = scheduleDirectorySync(countersign.deps, {
    intervalMinutes: config.directory.sync_minutes,
    log: http.fastify.log,
  });
  invocation.io.stdout(`${announce(url)}\n`);

  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      http.fastify.log.info({ signal }, 'shutting down: finishing requests in flight');
      const force = setTimeout(() => {
        http.fastify.log.warn('shutdown grace period over: exiting');
        process.exit(1);
      }, config.http.shutdown_grace_ms);
      force.unref();
      await directorySync.stop();
      await http.close();
      await countersign.close();
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Countersign servers (HTTP: Auth API, health, metrics).',
  usage: 'countersign serve [--data-dir DIR] [--config FILE] [--port N]',
  options: { port: { type: 'string' } },
  async run(invocation) {
    if (typeof invocation.values.port === 'string')
      invocation.io.env.COUNTERSIGN_HTTP_PORT = invocation.values.port;
    await serve(invocation, (url) =>
      invocation.json ? JSON.stringify({ url }) : `Countersign is listening on ${url}`,
    );
  },
};

export const startCommand: Command = {
  name: 'start',
  summary: 'Initialize if needed, then serve (what `npm start` runs).',
  usage: 'countersign start [--data-dir DIR]',
  options: { port: { type: 'string' } },
  async run(invocation) {
    if (typeof invocation.values.port === 'string')
      invocation.io.env.COUNTERSIGN_HTTP_PORT = invocation.values.port;
    const init = await initialize(invocation);
    await serve(invocation, (url) =>
      invocation.json
        ? JSON.stringify({ url, ...init })
        : [
            `Countersign is running at ${url}  (data in ${init.dataDir}, ${init.database})`,
            '',
            'Next steps, in another terminal:',
            '  npx countersign app add "My app"          # an Auth API application: note its keys',
            '  npx countersign user add alice --email alice@example.org',
            '  npx countersign totp add alice            # scan the QR code with an authenticator app',
            `  curl ${url}/auth/v2/ping`,
            '',
            'The README walks through a whole login. Press Ctrl+C to stop.',
          ].join('\n'),
    );
  },
};
