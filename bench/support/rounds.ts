// Measures two sides in alternating rounds (ABBA…), so drifting background load on a shared machine hits both.
import type { Measurement } from '../suite.ts';

/** What one round of one side produced. */
export interface Sample {
  /** Operations that gave the right answer. */
  right: number;
  /** Answers that must not happen (errors, non-2xx, wrong results). */
  wrong: number;
  seconds: number;
  /** Extra raw numbers of this round (latency percentiles); merged across rounds by `mergeRaw`. */
  raw: Record<string, number>;
}

/** A thing under load: the limit or the measured side. */
export interface Side {
  label: string;
  run(seconds: number): Promise<Sample>;
}

export interface RoundsOptions {
  /** Total measured seconds per side, split evenly across rounds. */
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  /** Pause between rounds, so work still in flight on one side does not run into the other's window. */
  settleMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Both sides' measurements and every wrong answer seen, warm-up included. */
export interface RoundsOutcome {
  measured: Measurement;
  limit: Measurement;
  wrong: number;
}

/** The raw key of a server's CPU milliseconds in a round (http-load.ts); summarize adds the cost per answer. */
export const SERVER_CPU_MS = 'server CPU ms';

/** The raw key summarize gives the server's CPU microseconds per right answer. */
export const CPU_PER_ANSWER = 'server CPU µs/answer';

/** Percentile keys keep the worst round (max); everything else is summed. */
export function mergeRaw(samples: readonly Sample[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const sample of samples) {
    for (const [key, value] of Object.entries(sample.raw)) {
      merged[key] = key.startsWith('p') ? Math.max(merged[key] ?? 0, value) : (merged[key] ?? 0) + value;
    }
  }
  return merged;
}

/** Sums rounds into one rate, and records the slowest and fastest round so noise is visible. */
export function summarize(label: string, samples: readonly Sample[]): Measurement {
  const right = samples.reduce((sum, sample) => sum + sample.right, 0);
  const seconds = samples.reduce((sum, sample) => sum + sample.seconds, 0);
  const rates = samples.map((sample) => (sample.seconds > 0 ? sample.right / sample.seconds : 0));
  const merged = mergeRaw(samples);
  const cpuMs = merged[SERVER_CPU_MS];
  if (cpuMs !== undefined && right > 0) merged[CPU_PER_ANSWER] = (cpuMs * 1000) / right;
  return {
    label,
    perSecond: seconds > 0 ? right / seconds : 0,
    operations: right,
    seconds,
    raw: {
      ...merged,
      'slowest round/s': Math.round(Math.min(...rates)),
      'fastest round/s': Math.round(Math.max(...rates)),
    },
  };
}

/** Warms both sides up, then alternates rounds A B, B A, A B, … and sums each side's rounds. */
export async function measureInRounds(
  measured: Side,
  limit: Side,
  options: RoundsOptions,
): Promise<RoundsOutcome> {
  let wrong = 0;
  for (const side of [limit, measured]) {
    wrong += (await side.run(options.warmupSeconds)).wrong;
    await options.sleep(options.settleMs);
  }
  const perRound = options.seconds / options.rounds;
  const samples = new Map<Side, Sample[]>([
    [measured, []],
    [limit, []],
  ]);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [limit, measured] : [measured, limit];
    for (const side of order) {
      const sample = await side.run(perRound);
      wrong += sample.wrong;
      samples.get(side)!.push(sample);
      await options.sleep(options.settleMs);
    }
  }
  return {
    measured: summarize(measured.label, samples.get(measured)!),
    limit: summarize(limit.label, samples.get(limit)!),
    wrong,
  };
}
