// Time and randomness arrive as narrow interfaces so time-based code runs on a frozen clock in tests.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A source of the current time in milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

/** A cryptographically secure source of randomness. */
export interface Random {
  bytes(length: number): Buffer;
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  uuid(): string;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** node:crypto's CSPRNG. */
export const secureRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
  uuid: () => randomUUID(),
};

/** A clock that only moves when told to: for tests and for the server's controllable test mode. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** Creates a clock frozen at `startMs`. */
export function manualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
