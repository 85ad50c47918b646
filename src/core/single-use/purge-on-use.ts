// Deletes expired single-use rows as a side effect of using them, at most once a minute per process.
import type { Clock } from '../clock.ts';

/** How often one process runs a purge: often enough to keep the tables small, rare enough to cost nothing. */
const PURGE_EVERY_MS = 60_000;

/**
 * Returns a function to call on every use: it runs `purge(now - graceMs)` when a minute has passed since the last
 * run (like the RADIUS retransmit cache, which sweeps on use), so no timer has to be started or stopped.
 */
export function purgeOnUse(
  clock: Clock,
  purge: (before: number) => Promise<number>,
  graceMs = 0,
): () => Promise<void> {
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock.now();
    if (now - last < PURGE_EVERY_MS) return;
    // Set before awaiting: parallel uses must not all start a purge.
    last = now;
    await purge(now - graceMs);
  };
}
