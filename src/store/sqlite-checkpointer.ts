// Moves SQLite WAL checkpoints off the event loop: a worker thread checkpoints (PASSIVE) on a timer.
// With synchronous=NORMAL a WAL commit does not fsync; only checkpoints do, and an automatic checkpoint runs
// inside whichever COMMIT crosses the threshold, stalling every request for its fsync (p99 8 ms, worst 235 ms).
// The worker is a V8 isolate of its own (about 30 MiB resident), so it starts only once the WAL holds enough to be
// worth checkpointing: an idle server, or one that has taken a handful of logins, does without it (issue 14).
import { stat } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints, and how often the WAL's size is looked at until the worker starts. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The WAL size at which the worker starts: SQLite's own default automatic checkpoint, 1,000 pages of 4 KiB (and
 * their frame headers). Below it the WAL simply waits, as durable as the database file.
 */
export const WORKER_START_WAL_BYTES = 1_000 * (4096 + 24);

/**
 * The main connection's own automatic checkpoint, in pages: only a backstop now, for when the worker falls
 * behind or a steady stream of commits keeps the WAL from restarting (SQLite's default is 1,000).
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
  /** Whether the worker thread is running (it starts once the WAL reaches the start size). */
  readonly running: boolean;
  /** Runs a last checkpoint and ends the worker (or just stops watching the WAL, if it never started). */
  stop(): Promise<void>;
}

/**
 * Checkpoints the database file at `path` every `intervalMs` in a worker thread, started once its WAL reaches
 * `startAtWalBytes` (0: at once).
 */
export function startCheckpointer(
  path: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  startAtWalBytes = WORKER_START_WAL_BYTES,
): Checkpointer {
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  const spawn = () => {
    worker = new Worker(new URL('./sqlite-checkpoint-worker.ts', import.meta.url), {
      workerData: { path, intervalMs },
    });
    // It must not keep the process alive, and its failure only means checkpoints fall back to the backstop.
    worker.unref();
    worker.on('error', () => {});
    const started = worker;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
  };
  // A stat of the -wal file per tick is all the watching costs; a missing file is an empty WAL.
  const watch = setInterval(() => {
    stat(`${path}-wal`, (error, info) => {
      if (stopping || worker || (error ? 0 : info.size) < startAtWalBytes) return;
      clearInterval(watch);
      spawn();
    });
  }, intervalMs);
  watch.unref();
  return {
    get running() {
      return worker !== null && !stopping;
    },
    stop() {
      stopping = true;
      clearInterval(watch);
      // Referenced again so the process waits for the last checkpoint instead of exiting under it.
      worker?.ref();
      worker?.postMessage('stop');
      return exited;
    },
  };
}
