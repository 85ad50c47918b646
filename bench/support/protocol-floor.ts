// The protocol alone beside a headline: the same server doing a call's protocol work and no login, against the same
// limit. No login can reach a higher ratio on that machine (bench/README.md, "What a login cannot beat").
import { setTimeout as sleep } from 'node:timers/promises';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type RunOptions } from '../suite.ts';
import { measureInRounds, type Side } from './rounds.ts';

/** The raw key of a suite's protocol floor: the protocol's own work, nothing stored, ÷ the same limit. */
export const PROTOCOL_FLOOR = 'protocol alone ÷ limit';

/** Half the measured time and rounds: for side figures (the limits' cost, the protocol floor), not the headline. */
export function halfOptions(options: RunOptions): RunOptions {
  return { ...options, seconds: options.seconds / 2, rounds: Math.max(2, Math.round(options.rounds / 2)) };
}

/**
 * Measures `protocol` against `limit` in half the rounds and logs both; returns their ratio. `describe` says what
 * the two sides are in the log, `wrong` what a wrong answer was (any fails the run).
 */
export async function measureProtocolFloor(
  options: RunOptions,
  sides: { protocol: Side; limit: Side; describe: string; wrong: string },
): Promise<number> {
  const half = halfOptions(options);
  options.log(
    `the protocol alone: ${sides.describe}, ${half.rounds} alternating rounds, ${half.seconds} s per side`,
  );
  const outcome = await measureInRounds(sides.protocol, sides.limit, { ...half, settleMs: 250, sleep });
  options.log(describeMeasurement(outcome.limit));
  options.log(describeMeasurement(outcome.measured));
  if (outcome.wrong > 0) throw new BenchFailure(`${outcome.wrong} ${sides.wrong}`);
  const ratio = outcome.measured.perSecond / outcome.limit.perSecond;
  options.log(`${PROTOCOL_FLOOR}: ${ratio.toFixed(3)} (the most a login could reach here)`);
  return ratio;
}
