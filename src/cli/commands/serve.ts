// `countersign serve` and `countersign start`: run the servers until a signal, then shut down gracefully.

import { openCountersign } from '../../app.ts';
import { scheduleDirectorySync } from '../../core/directory/schedule-sync.ts';
import { scheduleMaintenance } from '../../core/maintenance.ts';
import { type MetricsListener, startMetricsListener } from '../../fronts/ops/metrics-listener.ts';
import type { startRadius } from '../../fronts/radius/start-radius.ts';
import { createHttpServer } from '../../server.ts';
import { type Command, CommandFailure, type Invocation, UsageError } from '../command.ts';
import { configFor } from '../context.ts';
import { releaseOptimizers } from '../hold-optimizers.ts';
import { initialize } from './init.ts';
import {
  isServeWorker,
  type Listening,
  leaveCluster,
  reportListening,
  runServeWorkers,
} from './serve-workers.ts';
import { settleMemory } from './settle-memory.ts';

/** `--port` and `--radius-port` override the configuration. */
function applyPortOptions(invocation: Invocation): void {
  const { port, 'radius-port': radiusPort } = invocation.values;
  for (const [value, variable] of [
    [port, 'COUNTERSIGN_HTTP_PORT'],
    [radiusPort, 'COUNTERSIGN_RADIUS_PORT'],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || !/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) {
      throw new UsageError(`a port must be a number from 0 to 65535, not '${String(value)}'`);
    }
    invocation.io.env[variable] = value;
  }
}

const PORT_OPTIONS = { port: { type: 'string' }, 'radius-port': { type: 'string' } } as const;

/** Runs until SIGINT/SIGTERM; in-flight requests finish before the process exits. */
async function serve(invocation: Invocation, announce: (listening: Listening) => string): Promise<void> {
  const config = configFor(invocation);
  if (config.workers > 1 && !isServeWorker()) {
    releaseOptimizers();
    const code = await runServeWorkers(
      config.workers,
      invocation.io.env,
      (listening) => invocation.io.stdout(`${announce(listening)}\n`),
      (line) => invocation.io.stderr(`${line}\n`),
    );
    if (code !== 0) throw new CommandFailure('a serve worker failed; all of them were stopped');
    return;
  }
  const countersign = await openCountersign(config);
  const http = createHttpServer(countersign, { sumMetricsOverWorkers: isServeWorker() });
  // What is already running when a later listener fails to start, closed in reverse so the process can exit.
  const started: Array<() => Promise<void>> = [() => countersign.close()];
  let url: string;
  let metricsListener: MetricsListener | null;
  let radius: Awaited<ReturnType<typeof startRadius>> | null;
  try {
    url = await http.listen();
    started.push(() => http.close());
    // Metrics describe traffic and load: on a listener of their own, loopback unless configured otherwise.
    metricsListener = config.metrics.enabled
      ? await startMetricsListener(http.metrics, config, {
          log: http.fastify.log,
          clock: countersign.deps.clock,
        })
      : null;
    if (metricsListener) started.push(metricsListener.close);
    // The RADIUS front loads only when it is enabled (issue 14, idle memory).
    radius = config.radius.enabled
      ? await (await import('../../fronts/radius/start-radius.ts')).startRadius(countersign, {
          host: config.radius.host,
          port: config.radius.port,
          log: http.fastify.log,
          metrics: http.metrics,
        })
      : null;
  } catch (error) {
    for (const close of started.reverse()) await close();
    throw error;
  }
  const directorySync = scheduleDirectorySync(countersign.deps, {
    intervalMinutes: config.directory.sync_minutes,
    log: http.fastify.log,
  });
  const maintenance = scheduleMaintenance(countersign.deps, { log: http.fastify.log });
  const stopped = new Promise<void>((resolve) => {
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
      await maintenance.stop();
      await radius?.close();
      await http.close();
      await metricsListener?.close();
      await countersign.close();
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Announced only once the signals are handled: whoever reads this line (a supervisor, a script) may stop the
  // server at once, and a signal before the handler is installed would kill the process without a graceful stop.
  const listening = { url, radiusPort: radius?.port ?? null, metricsUrl: metricsListener?.url ?? null };
  // Held since the modules loaded (bin/countersign.js): start-up code runs once and is not worth optimizing.
  releaseOptimizers();
  settleMemory();
  // A worker (config `workers` > 1) tells its primary, which announces once for all of them.
  if (isServeWorker()) reportListening(listening);
  else invocation.io.stdout(`${announce(listening)}\n`);
  await stopped;
  leaveCluster();
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Countersign servers (HTTP: Auth API and health; RADIUS; a loopback metrics listener).',
  usage: 'countersign serve [--data-dir DIR] [--config FILE] [--port N] [--radius-port N]',
  options: PORT_OPTIONS,
  releasesOptimizers: true,
  async run(invocation) {
    applyPortOptions(invocation);
    await serve(invocation, ({ url, radiusPort, metricsUrl }) =>
      invocation.json
        ? JSON.stringify({ url, radiusPort, metricsUrl })
        : [
            `Countersign is listening on ${url}`,
            radiusPort === null ? '' : `; RADIUS on UDP ${radiusPort}`,
            metricsUrl === null ? '' : `; metrics on ${metricsUrl}`,
          ].join(''),
    );
  },
};

export const startCommand: Command = {
  name: 'start',
  summary: 'Initialize if needed, then serve (what `npm start` runs).',
  usage: 'countersign start [--data-dir DIR] [--port N] [--radius-port N]',
  options: PORT_OPTIONS,
  releasesOptimizers: true,
  async run(invocation) {
    applyPortOptions(invocation);
    const init = await initialize(invocation);
    await serve(invocation, ({ url, radiusPort, metricsUrl }) =>
      invocation.json
        ? JSON.stringify({ url, radiusPort, metricsUrl, portal: `${url}/portal`, ...init })
        : [
            `Countersign is running at ${url}  (data in ${init.dataDir}, ${init.database})`,
            radiusPort === null ? 'RADIUS is off.' : `RADIUS listens on UDP port ${radiusPort}.`,
            metricsUrl === null ? 'Metrics are off.' : `Prometheus metrics: ${metricsUrl}`,
            '',
            `Users sign in to manage their devices at ${url}/portal (the Authenticator app is at ${url}/app/).`,
            '',
            'Next steps, in another terminal:',
            '  npx countersign app add "My app"          # an Auth API application: note its keys',
            '  npx countersign user add alice --email alice@example.org',
            '  npx countersign totp add alice            # scan the QR code with an authenticator app',
            '  npx countersign push enroll alice         # or activate the Countersign Authenticator on a phone',
            `  curl ${url}/auth/v2/ping`,
            '',
            'The README walks through a whole login. Press Ctrl+C to stop.',
          ].join('\n'),
    );
  },
};
