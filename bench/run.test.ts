// The runner's command line and suite selection.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BenchUsageError, exitCode, listSuites, parseBenchArgs, runSuite, selectSuites } from './run.ts';
import { BenchFailure, BenchSkipped, type BenchSuite, compare, type RunOptions } from './suite.ts';
import { suite as pgNodes } from './suites/pg-nodes.ts';

test('defaults: every suite, 10 s in 10 rounds after a 3 s warm-up, no JSON', () => {
  assert.deepEqual(parseBenchArgs([], {}), {
    names: [],
    json: false,
    seconds: 10,
    rounds: 10,
    warmupSeconds: 3,
    workers: 1,
    pg: null,
  });
});

test('names, --json and durations are read', () => {
  assert.deepEqual(
    parseBenchArgs(['auth-api', '--json', '--seconds', '4', '--rounds', '2', '--warmup', '1']),
    {
      names: ['auth-api'],
      json: true,
      seconds: 4,
      rounds: 2,
      warmupSeconds: 1,
      workers: 1,
      pg: null,
    },
  );
});

test('--workers and --pg: the PostgreSQL server comes from COUNTERSIGN_BENCH_PG, else COUNTERSIGN_TEST_PG', () => {
  const bench = 'postgres://bench@127.0.0.1/postgres';
  const test = 'postgres://test@127.0.0.1/postgres';
  const both = { COUNTERSIGN_BENCH_PG: bench, COUNTERSIGN_TEST_PG: test };
  assert.equal(parseBenchArgs(['--workers', '2'], {}).workers, 2);
  assert.equal(parseBenchArgs(['--pg'], both).pg, bench);
  assert.equal(parseBenchArgs(['--pg'], { COUNTERSIGN_TEST_PG: test }).pg, test);
  assert.throws(() => parseBenchArgs(['--pg'], {}), /--pg needs COUNTERSIGN_BENCH_PG or COUNTERSIGN_TEST_PG/);
  assert.throws(() => parseBenchArgs(['--workers', '0'], {}), /--workers must be a positive number/);
});

test('bad options are usage errors that say what is wrong', () => {
  assert.throws(
    () => parseBenchArgs(['--seconds', 'soon']),
    /--seconds must be a positive number, got 'soon'/,
  );
  assert.throws(() => parseBenchArgs(['--rounds', '1.5']), /--rounds must be a whole number/);
  assert.throws(() => parseBenchArgs(['--fast']), BenchUsageError);
});

test('suites are the .ts files of a directory, in name order, tests and other files left out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-suites-'));
  try {
    for (const file of ['password.ts', 'auth-api.ts', 'auth-api.test.ts', 'notes.md']) {
      await writeFile(join(dir, file), '');
    }
    assert.deepEqual(await listSuites(dir), ['auth-api', 'password']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the real suites directory holds the two suites of this brief', async () => {
  const names = await listSuites();
  assert.ok(names.includes('auth-api') && names.includes('password'), names.join(', '));
  assert.ok(!names.some((name) => name.endsWith('.test')));
});

test('selection keeps the order given and names unknown suites', () => {
  assert.deepEqual(selectSuites(['a', 'b'], []), ['a', 'b']);
  assert.deepEqual(selectSuites(['a', 'b'], ['b', 'a']), ['b', 'a']);
  assert.throws(() => selectSuites(['a', 'b'], ['c']), /unknown benchmark 'c'; available: a, b/);
});

/** Run options for one suite, its lines collected. */
function quickOptions(lines: string[], pg: string | null = null): RunOptions {
  return { seconds: 1, rounds: 1, warmupSeconds: 1, workers: 1, pg, log: (line) => lines.push(line) };
}

/** A suite whose run does `body`. */
const fakeSuite = (body: () => never | Promise<never>): BenchSuite => ({
  name: 'fake',
  summary: 'a fake suite',
  target: 1,
  run: async () => body(),
});

test('a suite whose optional service is not configured is skipped, says why, and is not a failure', async () => {
  const lines: string[] = [];
  const skipped = await runSuite(
    'fake',
    async () =>
      fakeSuite(() => {
        throw new BenchSkipped('no PostgreSQL server configured');
      }),
    quickOptions(lines),
  );
  assert.deepEqual(skipped, { name: 'fake', skipped: 'no PostgreSQL server configured' });
  assert.deepEqual(lines, ['a fake suite (target >= 1)', 'skipped: no PostgreSQL server configured']);
  const measure = { label: 'x', perSecond: 1, operations: 1, seconds: 1, raw: {} };
  assert.equal(exitCode([skipped, compare('other', 1, measure, measure)]), 0);
});

test('a suite that breaks, or cannot load, fails and makes the run exit 1', async () => {
  const lines: string[] = [];
  const broken = await runSuite(
    'fake',
    async () =>
      fakeSuite(() => {
        throw new BenchFailure('3 wrong answers');
      }),
    quickOptions(lines),
  );
  assert.deepEqual(broken, { name: 'fake', error: 'BenchFailure: 3 wrong answers' });
  assert.equal(lines.at(-1), 'failed: BenchFailure: 3 wrong answers');
  const unloadable = await runSuite(
    'gone',
    () => Promise.reject(new Error('no such module')),
    quickOptions([]),
  );
  assert.deepEqual(unloadable, { name: 'gone', error: 'Error: no such module' });
  assert.equal(exitCode([{ name: 'a', skipped: 'why' }, broken]), 1);
});

test('pg-nodes without a PostgreSQL server is skipped; with one that cannot be reached it fails', async () => {
  const saved = { bench: process.env.COUNTERSIGN_BENCH_PG, test: process.env.COUNTERSIGN_TEST_PG };
  delete process.env.COUNTERSIGN_BENCH_PG;
  delete process.env.COUNTERSIGN_TEST_PG;
  try {
    const skipped = await runSuite('pg-nodes', async () => pgNodes, quickOptions([]));
    assert.ok('skipped' in skipped, JSON.stringify(skipped));
    assert.match(skipped.skipped, /COUNTERSIGN_BENCH_PG/);
    // Port 1 on loopback: nothing listens, so the configured server is broken, not absent.
    const broken = await runSuite(
      'pg-nodes',
      async () => pgNodes,
      quickOptions([], 'postgres://127.0.0.1:1/x'),
    );
    assert.ok('error' in broken, JSON.stringify(broken));
  } finally {
    if (saved.bench !== undefined) process.env.COUNTERSIGN_BENCH_PG = saved.bench;
    if (saved.test !== undefined) process.env.COUNTERSIGN_TEST_PG = saved.test;
  }
});
