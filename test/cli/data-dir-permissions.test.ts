// Issue 9.8: what Countersign keeps in its data directory is readable by its owner only, through the real executable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { BIN, cli, environment, startServe, stopServe } from '../support/serve-process.ts';

/** Every path under `dir` (itself included) whose mode gives group or others any access. */
async function openToOthers(dir: string): Promise<string[]> {
  const loose: string[] = [];
  const visit = async (path: string) => {
    const info = await lstat(path);
    if ((info.mode & 0o077) !== 0) loose.push(`${path} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const entry of await readdir(path)) await visit(join(path, entry));
  };
  await visit(dir);
  return loose;
}

/** Every path under `dir`, relative to it. */
async function listAll(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const relative = join(prefix, entry.name);
    out.push(relative);
    if (entry.isDirectory()) out.push(...(await listAll(dir, relative)));
  }
  return out;
}

/** Runs the real executable with `--json`, synchronously (for commands that talk to the running server). */
function bin(env: NodeJS.ProcessEnv, args: string[]): Record<string, unknown> {
  const result = spawnSync(process.execPath, [BIN, ...args, '--json'], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** A fresh parent folder (0700, as mkdtemp makes it) and a data directory inside it that init creates. */
async function sandbox(): Promise<{ root: string; dataDir: string; env: NodeJS.ProcessEnv }> {
  const root = await mkdtemp(join(tmpdir(), 'countersign-modes-'));
  const dataDir = join(root, 'data');
  // The umask of a typical login shell: without Countersign's own care, files come out 0644 and folders 0755.
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'info',
    COUNTERSIGN_ADMIN_EMAILS: 'security@example.org',
  });
  return { root, dataDir, env };
}

test('issue 9.8: after init, serve, a device, logins and a fraud e-mail, nothing in the data directory is open to group or others', async () => {
  const previous = process.umask(0o022);
  const { root, dataDir, env } = await sandbox();
  try {
    await cli(env, ['init']);
    const app = await cli(env, ['app', 'add', 'VPN']);
    const node = await startServe(env);
    try {
      const api = createAuthApiClient({ baseUrl: node.url, ikey: String(app.ikey), skey: String(app.skey) });
      try {
        const enrolled = await api.enroll({ username: 'alice' });
        // The headless Authenticator keeps its account file in the same data directory.
        bin(env, ['device', 'activate', enrolled.activation_url]);
        const { txid } = (await api.call('POST', '/auth/v2/auth', {
          username: 'alice',
          factor: 'push',
          async: '1',
        })) as { txid: string };
        assert.equal(bin(env, ['device', 'deny', txid, '--fraud']).state, 'fraud');
        const { passcode } = bin(env, ['device', 'passcode']);
        const login = await api.auth({ username: 'alice', factor: 'passcode', passcode: String(passcode) });
        assert.equal(login.result, 'allow');
      } finally {
        api.close();
      }
      // The fraud alert is mailed after the answer: wait for it to reach the outbox.
      const outbox = join(dataDir, 'outbox');
      while (!(await readdir(outbox).catch(() => [])).some((name) => name.endsWith('.eml')))
        await new Promise((resolve) => setTimeout(resolve, 20));
      const present = await listAll(dataDir);
      for (const expected of ['countersign.db', 'countersign.db-wal', 'countersign.db-shm', 'master.key'])
        assert.ok(present.includes(expected), `${expected} is there while serving: ${present.join(', ')}`);
      assert.ok(present.some((path) => path.startsWith('devices/')));
      assert.deepEqual(await openToOthers(dataDir), [], 'while serving');
    } finally {
      assert.equal(await stopServe(node), 0, node.stderr());
    }
    assert.deepEqual(await openToOthers(dataDir), [], 'after shutdown');
  } finally {
    process.umask(previous);
    await rm(root, { recursive: true, force: true });
  }
});

test('issue 9.8: a data directory left open by an older version is tightened at start, and the log says so', async () => {
  const { root, dataDir, env } = await sandbox();
  try {
    await cli(env, ['init']);
    await mkdir(join(dataDir, 'outbox'));
    await writeFile(join(dataDir, 'outbox', 'old.eml'), 'To: alice@example.org\r\n\r\nhello\r\n');
    await mkdir(join(dataDir, 'devices'));
    await writeFile(join(dataDir, 'devices', 'AAAAAAAAAAAAAAAAAAAA.json'), '{}\n');
    for (const [path, mode] of [
      ['', 0o755],
      ['countersign.db', 0o644],
      ['master.key', 0o644],
      ['outbox', 0o755],
      ['outbox/old.eml', 0o644],
      ['devices', 0o775],
      ['devices/AAAAAAAAAAAAAAAAAAAA.json', 0o664],
    ] as const)
      await chmod(join(dataDir, path), mode);
    assert.equal((await openToOthers(dataDir)).length, 7);

    const node = await startServe(env);
    try {
      assert.deepEqual(await openToOthers(dataDir), []);
      const logged = node
        .stdout()
        .split('\n')
        .filter((line) => line.includes('tightened'))
        .map((line) => JSON.parse(line) as { msg: string; paths: string[] });
      assert.equal(logged.length, 1, node.stdout());
      assert.match(logged[0]!.msg, /tightened the permissions of 7 paths/);
      assert.ok(
        logged[0]!.paths.includes(`${join(dataDir, 'master.key')} 644 → 600`),
        logged[0]!.paths.join('\n'),
      );
    } finally {
      assert.equal(await stopServe(node), 0, node.stderr());
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
