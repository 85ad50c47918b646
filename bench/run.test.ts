// The runner's command line and suite selection.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BenchUsageError, listSuites, parseBenchArgs, selectSuites } from './run.ts';

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
