// `npm run bench [-- names…] [--json] [--seconds N] [--rounds N] [--warmup N] [--workers N] [--pg]`: runs bench/suites/*.ts and prints a summary.
import { readdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { summaryTable } from './report.ts';
import { BenchSkipped, type BenchSuite, type Outcome, type RunOptions } from './suite.ts';

const SUITES_DIR = join(import.meta.dirname, 'suites');

/** Thrown for a command line the runner cannot follow; the message says what to change. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export interface BenchArgs {
  names: string[];
  json: boolean;
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  workers: number;
  pg: string | null;
}

function positiveNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new BenchUsageError(`--${option} must be a positive number, got '${value}'`);
  }
  return number;
}

function positiveInteger(value: string | undefined, option: string, fallback: number): number {
  const number = positiveNumber(value, option, fallback);
  if (!Number.isInteger(number))
    throw new BenchUsageError(`--${option} must be a whole number, got '${value}'`);
  return number;
}

/**
 * Parses the command line: suite names, --json, --seconds (default 10), --rounds (default 10), --warmup (default 3),
 * --workers (default 1), --pg.
 */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        seconds: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        workers: { type: 'string' },
        pg: { type: 'boolean' },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  return {
    names: parsed.positionals,
    json: parsed.values.json ?? false,
    seconds: positiveNumber(parsed.values.seconds, 'seconds', 10),
    rounds: positiveInteger(parsed.values.rounds, 'rounds', 10),
    warmupSeconds: positiveNumber(parsed.values.warmup, 'warmup', 3),
    workers: positiveInteger(parsed.values.workers, 'workers', 1),
    pg: parsed.values.pg ? pgServerUrl(env) : null,
  };
}

/** `--pg`: the server in COUNTERSIGN_BENCH_PG, else COUNTERSIGN_TEST_PG; one of them must be set. */
function pgServerUrl(env: NodeJS.ProcessEnv): string {
  const url = env.COUNTERSIGN_BENCH_PG || env.COUNTERSIGN_TEST_PG;
  if (!url)
    throw new BenchUsageError(
      '--pg needs COUNTERSIGN_BENCH_PG or COUNTERSIGN_TEST_PG (a PostgreSQL server URL)',
    );
  return url;
}

/** Lists suite names (file names in bench/suites without `.ts`), in order. */
export async function listSuites(dir = SUITES_DIR): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/** The suites to run: all, or the named ones in the order given; an unknown name is a usage error. */
export function selectSuites(available: readonly string[], names: readonly string[]): string[] {
  if (names.length === 0) return [...available];
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; available: ${available.join(', ')}`,
    );
  }
  return [...names];
}

async function loadSuite(name: string): Promise<BenchSuite> {
  const module = (await import(pathToFileURL(join(SUITES_DIR, `${name}.ts`)).href)) as { suite?: BenchSuite };
  if (!module.suite) throw new BenchUsageError(`bench/suites/${name}.ts does not export a 'suite'`);
  return module.suite;
}

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  const names = selectSuites(await listSuites(), args.names);
  const outcomes: Outcome[] = [];
  // A shared machine's background load moves absolute rates; say how busy it was when the run started.
  const [oneMinute = 0] = loadavg();
  process.stdout.write(
    `${availableParallelism()} CPUs, load average ${oneMinute.toFixed(2)}, Node ${process.version}\n`,
  );
  for (const name of names) {
    const log = (line: string) => process.stdout.write(`[${name}] ${line}\n`);
    outcomes.push(
      await runSuite(name, () => loadSuite(name), {
        seconds: args.seconds,
        rounds: args.rounds,
        warmupSeconds: args.warmupSeconds,
        workers: args.workers,
        pg: args.pg,
        log,
      }),
    );
  }
  process.stdout.write(`\n${summaryTable(outcomes)}\n`);
  if (args.json) {
    const environment = {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: availableParallelism(),
      loadAverage: loadavg(),
      date: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify({ environment, results: outcomes }, null, 2)}\n`);
  }
  return exitCode(outcomes);
}

/**
 * Loads and runs one suite: its figure, its failure (a module that cannot load, a wrong answer) or its skip (an
 * optional service not configured), each said in a line of its own. A usage error stops the whole run.
 */
export async function runSuite(
  name: string,
  load: () => Promise<BenchSuite>,
  options: RunOptions,
): Promise<Outcome> {
  const { log } = options;
  try {
    const suite = await load();
    log(`${suite.summary} (target >= ${suite.target})`);
    return await suite.run(options);
  } catch (error) {
    if (error instanceof BenchUsageError) throw error;
    if (error instanceof BenchSkipped) {
      log(`skipped: ${error.message}`);
      return { name, skipped: error.message };
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(`failed: ${message}`);
    return { name, error: message };
  }
}

/** 0 when every suite produced a figure or was skipped for a stated reason, 1 when one failed. */
export function exitCode(outcomes: readonly Outcome[]): number {
  return outcomes.some((outcome) => 'error' in outcome) ? 1 : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
  }
}
