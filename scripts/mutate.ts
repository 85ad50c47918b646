// `npm run mutate`: applies each named mutant of scripts/mutants.ts alone, runs the tests that should notice it,
// and reports which were killed (a test failed) and which survived. Not part of CI or `npm test`: it runs the
// relevant test files once per mutant, which takes minutes.
//
//   npm run mutate                  every mutant
//   npm run mutate -- --only portal mutants whose name contains "portal"
//   npm run mutate -- --list        names and files only
//   npm run mutate -- --check       only whether every mutant still applies to the code (no tests run)
//
// COUNTERSIGN_TEST_PG is passed to the tests as it is set. The file under mutation is restored after each run,
// and on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTANTS, type Mutant } from './mutants.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A mutant whose tests run longer than this is counted as killed (it hung them), as StrykerJS does. */
const TIMEOUT_MS = 10 * 60_000;

type Outcome = 'killed' | 'survived' | 'timeout' | 'stale';

/** What a file holds while one of its mutants is applied, so an interrupted run can put it back. */
let pending: { path: string; original: string } | null = null;

function restore(): void {
  if (pending) writeFileSync(pending.path, pending.original);
  pending = null;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

function withoutTestContext(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return env;
}

/** Runs `node --test` on `files`; resolves with its exit code, or null when it ran past TIMEOUT_MS. */
function runTests(files: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=dot', ...files],
      // Its own process group, so a hung test's children go with it. Without the parent's NODE_TEST_CONTEXT:
      // started from inside `node --test`, the child would report to a parent that is not listening, and pass.
      { cwd: ROOT, stdio: 'ignore', detached: true, env: withoutTestContext() },
    );
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      resolve(null);
    }, TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Whatever the tests left running (servers, browsers) must not outlive them.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      resolve(code ?? 1);
    });
  });
}

/** The file's text with every edit applied, or the reason the mutant no longer fits the code. */
function mutated(mutant: Mutant, original: string | null): { text: string } | { stale: string } {
  // A file renamed or removed since the mutant was written is stale, not a crash of the whole run.
  if (original === null) return { stale: `file not found: ${mutant.file}` };
  let text = original;
  for (const edit of mutant.edits) {
    // With `after`, only the text from that anchor on is searched, and its first match replaced.
    const from = edit.after === undefined ? 0 : text.indexOf(edit.after);
    if (from === -1) return { stale: `anchor not found: ${JSON.stringify(edit.after)}` };
    const head = text.slice(0, from);
    const tail = text.slice(from);
    const count = tail.split(edit.search).length - 1;
    if (count === 0) return { stale: `not found: ${JSON.stringify(edit.search)}` };
    if (edit.after !== undefined) {
      text = head + tail.replace(edit.search, () => edit.replace);
      continue;
    }
    if (count > 1 && !edit.all) return { stale: `found ${count} times: ${JSON.stringify(edit.search)}` };
    text = text.split(edit.search).join(edit.replace);
  }
  return { text };
}

/** The mutant's file as it is now, or null when it no longer exists. */
function source(mutant: Mutant): string | null {
  const path = `${ROOT}${mutant.file}`;
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

async function runMutant(mutant: Mutant): Promise<{ outcome: Outcome; detail: string; ms: number }> {
  const path = `${ROOT}${mutant.file}`;
  const original = source(mutant);
  const change = mutated(mutant, original);
  if ('stale' in change || original === null) {
    return { outcome: 'stale', detail: 'stale' in change ? change.stale : '', ms: 0 };
  }
  const started = Date.now();
  pending = { path, original };
  writeFileSync(path, change.text);
  try {
    const code = await runTests(mutant.tests);
    const ms = Date.now() - started;
    if (code === null) return { outcome: 'timeout', detail: 'the tests hung', ms };
    return code === 0 ? { outcome: 'survived', detail: '', ms } : { outcome: 'killed', detail: '', ms };
  } finally {
    restore();
  }
}

function parseArgs(argv: string[]): { only: string | null; list: boolean; check: boolean } {
  const at = argv.indexOf('--only');
  return {
    only: at === -1 ? null : (argv[at + 1] ?? ''),
    list: argv.includes('--list'),
    check: argv.includes('--check'),
  };
}

async function main(): Promise<number> {
  const { only, list, check } = parseArgs(process.argv.slice(2));
  const chosen = MUTANTS.filter((mutant) => only === null || mutant.name.includes(only));
  if (list) {
    for (const mutant of chosen) console.log(`${mutant.name}\t${mutant.file}\t${mutant.tests.join(' ')}`);
    return 0;
  }
  if (check) {
    const stale = chosen
      .map((mutant) => ({ mutant, change: mutated(mutant, source(mutant)) }))
      .filter(({ change }) => 'stale' in change);
    for (const { mutant, change } of stale)
      console.log(`stale: ${mutant.name}: ${'stale' in change ? change.stale : ''}`);
    console.log(`${chosen.length - stale.length} of ${chosen.length} mutants apply`);
    return stale.length === 0 ? 0 : 1;
  }
  // Unmutated, every chosen test file must pass: otherwise "killed" would mean nothing.
  const files = [...new Set(chosen.flatMap((mutant) => mutant.tests))];
  console.log(`baseline: ${files.length} test files, unmutated`);
  const baseline = await runTests(files);
  if (baseline !== 0) {
    console.error(`baseline failed (exit ${baseline}): fix the tests before measuring mutants`);
    return 2;
  }
  const results: Array<{ mutant: Mutant; outcome: Outcome; detail: string }> = [];
  for (const [index, mutant] of chosen.entries()) {
    const { outcome, detail, ms } = await runMutant(mutant);
    results.push({ mutant, outcome, detail });
    const label = outcome.toUpperCase().padEnd(8);
    console.log(
      `[${index + 1}/${chosen.length}] ${label} ${mutant.name} (${(ms / 1000).toFixed(0)} s)${detail ? `: ${detail}` : ''}`,
    );
  }
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
  const killed = count('killed') + count('timeout');
  const measured = killed + count('survived');
  const score = measured === 0 ? 0 : (100 * killed) / measured;
  console.log(
    `\nmutation score: ${score.toFixed(1)}% (${killed} killed, ${count('survived')} survived` +
      `${count('timeout') ? `, ${count('timeout')} of the killed by timeout` : ''}` +
      `${count('stale') ? `, ${count('stale')} stale: update scripts/mutants.ts` : ''})`,
  );
  for (const result of results.filter((r) => r.outcome === 'survived' || r.outcome === 'stale')) {
    console.log(`  ${result.outcome}: ${result.mutant.name} — ${result.mutant.why}`);
  }
  return count('survived') + count('stale') === 0 ? 0 : 1;
}

process.exitCode = await main();
