// Kill -9 tests (SECURITY.md "Reliability"): a bypass code's use and a lockout count survive a crash
// right after the answer, because they are committed before it goes out.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';
import { writeKeyFile } from '../../src/crypto/keyring.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

let h: CoreHarness;
let keyFile: string;
before(async () => {
  h = await openCoreHarness();
  keyFile = join(h.dir, 'master.key');
  await writeKeyFile(keyFile, h.deps.ring);
  await h.app();
});
after(() => h.close());

/** Runs the child, SIGKILLs it as soon as it prints `word`, and returns what it printed. */
function runAndKill(username: string, code: string, word: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [CHILD, h.sqlitePath, keyFile, String(h.clock.now()), username, code, word],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.includes('\n')) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${exitCode} without being killed: ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** The same question asked of a freshly opened store, as after a restart. */
async function reopened<T>(read: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore({ sqlitePath: h.sqlitePath });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

test('a bypass code spent just before kill -9 stays spent', { timeout: 20_000 }, async () => {
  const user = await h.user({ username: 'crash-bypass' });
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { count: 2 });
  assert.equal(await runAndKill('crash-bypass', codes[0]!, 'SPENT'), 'SPENT allow');
  const active = await reopened((store) => store.bypassCodes.listActive(user.id, h.clock.now()));
  assert.equal(active.length, 1, 'exactly the spent code is gone');
  assert.equal((await h.login(user, (await h.deps.store.applications.list())[0]!, codes[0]!)).state, 'deny');
});

test('a failure counted just before kill -9 stays counted', { timeout: 20_000 }, async () => {
  const user = await h.user({ username: 'crash-lockout' });
  await h.totp(user);
  await issueBypassCodes(h.deps, 'helpdesk', user);
  assert.equal(await runAndKill('crash-lockout', '000000000', 'FAILED'), 'FAILED deny');
  const stored = await reopened((store) => store.users.get(user.id));
  assert.equal(stored?.failedAttempts, 1);
});
