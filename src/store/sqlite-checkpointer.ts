// Moves SQLite WAL checkpoints off the event loop: a worker thread checkpoints (PASSIVE) on a timer.
// With synchronous=NORMAL a WAL commit does not fsync; only checkpoints do, and an automatic checkpoint runs
// inside whichever COMMIT crosses the threshold, stalling every request for its fsync (p99 8 ms, worst 235 ms).
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The main connection's own automatic checkpoint, in pages: only a backstop now, for when the worker falls
 * behind or a steady stream of commits keeps the WAL from restarting (SQLite's default is 1,000).
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void>;
}

/** Starts checkpointing the database file at `path` every `intervalMs` in a worker thread. */
export function startCheckpointer(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.ts', import.meta.url), {
    workerData: { path, intervalMs },
  });
  // It must not keep the process alive, and its failure only means checkpoints fall back to the backstop.
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop() {
      // Referenced again so the process waits for the last checkpoint instead of exiting under it.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
