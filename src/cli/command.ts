// The shape of a CLI command and the errors that end one: usage errors exit 2, others 1.
import type { ParseArgsConfig } from 'node:util';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for piped passwords and files). */
  readStdin: () => Promise<string>;
  /** Prompts on a terminal without echo; undefined when standard input is not a terminal. */
  promptSecret?: (question: string) => Promise<string>;
  env: NodeJS.ProcessEnv;
}

export interface Invocation {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  json: boolean;
  io: Io;
}

export interface Command {
  /** Words that select it, e.g. `user add`. */
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Exact number of positionals, or [min, max]. */
  positionals?: number | [number, number];
  run(invocation: Invocation): Promise<unknown>;
  /** It turns V8's optimizing compilers back on itself (a server, once it listens: src/cli/hold-optimizers.ts). */
  releasesOptimizers?: true;
}

/** Bad input on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected operational failure (a server unreachable, a login refused): exit 1 with one readable line. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}

/** Requires a string option; a missing or empty one is a UsageError. */
export function requireOption(values: Invocation['values'], name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Reads an optional integer option within bounds. */
export function intOption(
  values: Invocation['values'],
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value))
    throw new UsageError(`--${name} must be a whole number`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return number;
}
