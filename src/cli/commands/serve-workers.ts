// `workers` > 1: the primary process forks that many `serve` processes (node:cluster) sharing the listeners, so a
// server uses more than one core. Each worker is a whole server on the same database; the primary only starts,
// watches and stops them, announces where they listen, and gathers their metrics for a scrape (metrics-relay.ts).
import cluster, { type Worker } from 'node:cluster';
import { answerWorkersScrapes } from '../../fronts/ops/metrics-relay.ts';

/** Where a worker's servers listen, as serve.ts announces it. */
export interface Listening {
  url: string;
  radiusPort: number | null;
  metricsUrl: string | null;
}

interface ListeningMessage {
  countersignListening: Listening;
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && 'countersignListening' in message;
}

/** True in a process cluster.fork started: it tells the primary where it listens instead of announcing it. */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

/** A worker's report to the primary that its servers listen. */
export function reportListening(listening: Listening): void {
  process.send?.({ countersignListening: listening } satisfies ListeningMessage);
}

/** Closes a worker's channel to the primary once its servers stopped: the open channel would keep it running. */
export function leaveCluster(): void {
  if (cluster.isWorker) process.disconnect?.();
}

/** Forks a worker with `env` and resolves once it listens; rejects if it exits first. */
function forkListening(env: NodeJS.ProcessEnv): { worker: Worker; listening: Promise<Listening> } {
  const worker = cluster.fork(env);
  const listening = new Promise<Listening>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`a serve worker exited (${signal ?? `code ${code}`}) before it was listening`));
    worker.once('exit', onExit);
    worker.on('message', (message: unknown) => {
      if (!isListeningMessage(message)) return;
      worker.off('exit', onExit);
      resolve(message.countersignListening);
    });
  });
  return { worker, listening };
}

/**
 * Runs `count` workers until SIGINT/SIGTERM and returns the exit code. The first worker starts alone (it migrates
 * the database), the others after it listens. A worker that dies unexpectedly stops them all with exit code 1,
 * for the service manager to restart the whole server.
 */
export async function runServeWorkers(
  count: number,
  env: NodeJS.ProcessEnv,
  announce: (listening: Listening) => void,
  log: (line: string) => void,
): Promise<number> {
  const workers: Worker[] = [];
  let stopping = false;
  let exitCode = 0;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGTERM');
  };
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) {
        log(
          `a serve worker (pid ${worker.process.pid}) exited unexpectedly (${signal ?? `code ${code}`}): stopping`,
        );
        stopAll(1);
      } else if (code !== 0 && exitCode === 0) exitCode = 1;
      if (workers.every((w) => w.isDead())) resolve();
    });
  });
  const onSignal = () => stopAll(0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A scrape sums every worker's registry: until all of them listen, and once they stop, it would miss some.
  let allListening = false;
  const stopAnswering = answerWorkersScrapes(
    () => allListening && !stopping && workers.every((worker) => worker.isConnected()),
  );
  try {
    const first = forkListening(env);
    workers.push(first.worker);
    const listening = await first.listening;
    const rest = Array.from({ length: count - 1 }, () => forkListening(env));
    workers.push(...rest.map((r) => r.worker));
    await Promise.all(rest.map((r) => r.listening));
    allListening = true;
    if (!stopping) announce(listening);
  } catch (error) {
    log(`countersign serve: ${(error as Error).message}`);
    stopAll(1);
  }
  await allExited;
  stopAnswering();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return exitCode;
}
