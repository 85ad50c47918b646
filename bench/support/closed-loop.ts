// A closed-loop load generator for in-process work: N operations always in flight, for a fixed time.
import type { Sample, Side } from './rounds.ts';

/** A monotonic time source in milliseconds (performance.now in production, a fake in tests). */
export interface Timer {
  now(): number;
}

export interface LoopOptions {
  /** Operations kept in flight at once (e.g. libuv's 4 pool threads). */
  inFlight: number;
  seconds: number;
  /** One operation; resolves true when it gave the right answer. */
  operation: (index: number) => Promise<boolean>;
  timer: Timer;
}

/** Runs `inFlight` workers that each start a new operation as soon as their last one ends, until time is up. */
export async function closedLoop(options: LoopOptions): Promise<Sample> {
  const start = options.timer.now();
  const deadline = start + options.seconds * 1000;
  let next = 0;
  let right = 0;
  let wrong = 0;
  const worker = async () => {
    while (options.timer.now() < deadline) {
      const ok = await options.operation(next++);
      if (ok) right++;
      else wrong++;
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  return { right, wrong, seconds: (options.timer.now() - start) / 1000, raw: {} };
}

/** A side that runs `operation` in a closed loop with `inFlight` concurrent calls. */
export function loopSide(
  label: string,
  inFlight: number,
  timer: Timer,
  operation: (index: number) => Promise<boolean>,
): Side {
  return { label, run: (seconds) => closedLoop({ inFlight, seconds, operation, timer }) };
}
