// CI's PostgreSQL step (.ci/require-postgres): a database that does not come up fails the run, with a reason,
// instead of leaving every PostgreSQL test skipped and CI green.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCRIPT = join(ROOT, '.ci/require-postgres');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory of stand-in `pg_isready` and `pg_ctlcluster` scripts, put first on PATH. */
function fakeTools(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-ci-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(tools)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

function run(dir: string) {
  return spawnSync(SCRIPT, [], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, CI_POSTGRES_WAIT_SECONDS: '1' },
  });
}

test('issue 15: CI fails, saying why, when PostgreSQL does not come up', () => {
  const dir = fakeTools({
    pg_isready: 'exit 2',
    pg_ctlcluster: `touch "${'$'}(dirname "$0")/started"; exit 1`,
  });
  const result = run(dir);
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stdout, '', 'no URL: the tests must not be pointed anywhere');
  assert.match(result.stderr, /PostgreSQL does not answer at 127\.0\.0\.1:5432/);
  assert.match(result.stderr, /fails instead of skipping them/);
});

test('CI starts a stopped PostgreSQL and points the tests at it once it answers', () => {
  const dir = fakeTools({
    // Ready once the cluster was started.
    pg_isready: `test -e "${'$'}(dirname "$0")/started"`,
    pg_ctlcluster: `touch "${'$'}(dirname "$0")/started"`,
  });
  const result = run(dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'postgres://postgres@127.0.0.1:5432/postgres\n');
});

test('.ci/run takes the URL from that step under `set -e`, so its failure ends the run', () => {
  const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
  assert.match(ci, /^set -euo pipefail$/m);
  assert.match(ci, /^COUNTERSIGN_TEST_PG="\$\(\.ci\/require-postgres\)"$/m);
  assert.doesNotMatch(ci, /tests will say they are skipped/);
});
