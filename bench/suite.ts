// What a benchmark suite is and what it hands back: one figure measured against its limit in the same run.

/** One side of a comparison: a rate in operations per second, with the raw numbers behind it. */
export interface Measurement {
  /** What was measured, e.g. "Countersign passcode auths". */
  label: string;
  /** Operations per second. */
  perSecond: number;
  /** Operations completed in the measured window. */
  operations: number;
  /** Length of the measured window in seconds. */
  seconds: number;
  /** Anything else worth printing next to the rate (latency percentiles, errors). */
  raw: Record<string, number>;
  /** For a figure that is not a rate (resident memory): what is printed instead of the rate and count. */
  cell?: string;
}

/** The outcome of one suite: measured against limit, ratio against the target. */
export interface BenchResult {
  name: string;
  measured: Measurement;
  limit: Measurement;
  /** measured.perSecond / limit.perSecond. */
  ratio: number;
  /** The ratio the suite should reach. */
  target: number;
  verdict: 'meets' | 'below target';
}

/** A suite that could not produce a figure (its own failure, or answers that must not count). */
export interface FailedRun {
  name: string;
  error: string;
}

/** A suite that did not run because an optional service it needs is not configured: why, and how to configure it. */
export interface SkippedRun {
  name: string;
  skipped: string;
}

/** What the runner collects per suite. */
export type Outcome = BenchResult | FailedRun | SkippedRun;

/** Where a suite writes progress lines (the raw numbers as they come in). */
export type Log = (line: string) => void;

/** How long each side is measured; the same for limit and measured so the ratio compares like with like. */
export interface RunOptions {
  /** Measured seconds per side, in total. */
  seconds: number;
  /** Rounds the measured seconds are split into, alternating sides. */
  rounds: number;
  warmupSeconds: number;
  /** Server processes on each side (`--workers`): Countersign's `workers` and as many bare servers. */
  workers: number;
  /** PostgreSQL server URL (`--pg`) to run the login suites on, in a database of their own; null: SQLite. */
  pg: string | null;
  log: Log;
}

/** A benchmark: `bench/suites/<name>.ts` exports one as `suite`. */
export interface BenchSuite {
  name: string;
  /** One line: what the ratio means. */
  summary: string;
  target: number;
  run(options: RunOptions): Promise<BenchResult>;
}

/** Thrown when a run produced answers that must not count (errors, wrong results): the figure is void. */
export class BenchFailure extends Error {
  override name = 'BenchFailure';
}

/**
 * Thrown, before any work, when an optional service the suite needs is not configured (no PostgreSQL server URL):
 * the suite is skipped for that reason, not failed. A service that is configured but broken is a BenchFailure.
 */
export class BenchSkipped extends Error {
  override name = 'BenchSkipped';
}

/** Builds a result from both measurements; the verdict compares the ratio with the target. */
export function compare(
  name: string,
  target: number,
  measured: Measurement,
  limit: Measurement,
): BenchResult {
  const ratio = limit.perSecond > 0 ? measured.perSecond / limit.perSecond : 0;
  return { name, measured, limit, ratio, target, verdict: ratio >= target ? 'meets' : 'below target' };
}
