// Runs a piece of background work on an interval: never overlapping, first after one interval, stoppable.

/** Timer functions, replaceable in tests. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: background work never keeps the process alive. */
export const nodeTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Runs `round` every `intervalMs`, first after one interval; the next round is timed from the end of the previous
 * one, so rounds never overlap. `round` must not throw (log inside it). `stop()` cancels the next round and
 * resolves once a round in progress has finished.
 */
export function repeatEvery(
  intervalMs: number,
  round: () => Promise<void>,
  timers: Timers = nodeTimers,
): { stop(): Promise<void> } {
  let stopped = false;
  let handle: unknown;
  let running: Promise<void> = Promise.resolve();
  const next = () => {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      running = round().finally(next);
    }, intervalMs);
  };
  next();
  return {
    async stop() {
      stopped = true;
      timers.clearTimeout(handle);
      await running;
    },
  };
}
