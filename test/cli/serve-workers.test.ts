// `workers` = 2: two serve processes share the listeners on one SQLite data directory; both answer logins, a code is
// still accepted once across them, SIGTERM stops all, and a worker killed with -9 stops the whole server (exit 1).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { cli, environment, startServe, stopServe } from '../support/serve-process.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The pids of the processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children === '' ? [] : children.split(' ').map(Number);
}

async function workersEnv() {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-workers-'));
  dirs.push(dataDir);
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    COUNTERSIGN_WORKERS: '2',
    USER: 'tester',
  });
  await cli(env, ['init']);
  await writeFile(
    join(dataDir, 'countersign.toml'),
    '[limits]\nlogins_per_user_per_minute = 0\nlogins_per_address_per_minute = 0\n',
    { mode: 0o600 },
  );
  return env;
}

test('issue 14: two workers answer logins on one SQLite database, each code once, and stop together', {
  timeout: 400_000,
}, async () => {
  const env = await workersEnv();
  const app = await cli(env, ['app', 'add', 'workers']);
  await cli(env, ['user', 'add', 'wendy']);
  const codes = (await cli(env, ['bypass', 'issue', 'wendy', '--count', '20'])).codes as string[];
  const server = await startServe(env);
  try {
    assert.equal(childrenOf(server.process.pid!).length, 2, 'two worker processes');
    assert.equal(server.stdout().match(/"url"/g)?.length, 1, 'announced once');
    // Each code sent twice at once: new connections spread over both workers; one of each pair is allowed.
    const clients = Array.from({ length: 8 }, () =>
      createAuthApiClient({ baseUrl: server.url, ikey: String(app.ikey), skey: String(app.skey) }),
    );
    let sent = 0;
    const results = await Promise.all(
      codes.flatMap((code, index) =>
        [0, 1].map(async (copy) => {
          const client = clients[(index * 2 + copy) % clients.length]!;
          const answer = await client.auth({
            username: 'wendy',
            factor: 'passcode',
            passcode: code,
            hostname: `workers-${sent++}`,
          });
          return { index, result: answer.result };
        }),
      ),
    );
    for (const client of clients) client.close();
    for (const [index] of codes.entries()) {
      const allowed = results.filter((r) => r.index === index && r.result === 'allow').length;
      assert.equal(allowed, 1, `code ${index} was accepted exactly once`);
    }
  } finally {
    assert.equal(await stopServe(server), 0, server.stderr());
  }
});

test('issue 14: a worker killed with -9 stops the whole server with exit code 1', {
  timeout: 300_000,
}, async () => {
  const env = await workersEnv();
  const server = await startServe(env);
  const exited = once(server.process, 'exit');
  const [first] = childrenOf(server.process.pid!);
  process.kill(first!, 'SIGKILL');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 1);
  assert.match(server.stderr(), /exited unexpectedly \(SIGKILL\): stopping/);
});
