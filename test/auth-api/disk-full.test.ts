// The SQLite data directory running out of space under a real `serve`: logins fail closed (503 in Duo's envelope with
// Retry-After, never an allow and never a 500), the failure is logged, nothing spent is lost, the database stays intact,
// and service resumes when space returns. The data directory is a small tmpfs, so this test needs root (mount).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { cli, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';

/** Mounts a tmpfs of `size` at a new folder; null (with the reason) where this machine does not allow it. */
function mountTmpfs(size: string): { dir: string } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'needs root to mount a small tmpfs (run as root, or in CI)' };
  const dir = mkdtempSync(join(tmpdir(), 'countersign-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      skip: `mount -t tmpfs failed here (${(error as Error).message.split('\n')[0]}): no small file system to fill`,
    };
  }
}

const mounted = mountTmpfs('4m');
let server: ServeProcess | undefined;
after(() => {
  if (server?.process.exitCode === null) server.process.kill('SIGKILL');
  if ('dir' in mounted) {
    // Lazily, so a process still holding a file there cannot keep the mount (and the test run) alive.
    execFileSync('umount', ['-l', mounted.dir]);
    rmSync(mounted.dir, { recursive: true, force: true });
  }
});

/** Writes zeros into `path` until the file system says ENOSPC. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // The last partial page.
        try {
          for (;;) writeSync(fd, chunk.subarray(0, 512));
        } catch {
          return;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { stat?: string; code?: number; message?: string; response?: { result?: string } };
}

test('issue 14: a full SQLite disk fails logins closed with 503 and a log line, and service resumes when space returns', {
  skip: 'skip' in mounted && mounted.skip,
}, async () => {
  const dataDir = (mounted as { dir: string }).dir;
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    USER: 'tester',
  });
  await cli(env, ['init']);
  // Hundreds of logins from one user in a minute: the rate limits are not what this test is about.
  writeFileSync(
    join(dataDir, 'countersign.toml'),
    '[limits]\nlogins_per_user_per_minute = 0\nlogins_per_address_per_minute = 0\n',
    { mode: 0o600 },
  );
  const app = await cli(env, ['app', 'add', 'disk-full']);
  await cli(env, ['user', 'add', 'alice']);
  await cli(env, ['user', 'add', 'busy']);
  const codes = (await cli(env, ['bypass', 'issue', 'alice', '--count', '10', '--expires', 'never']))
    .codes as string[];
  const [busyCode] = (await cli(env, ['bypass', 'issue', 'busy', '--uses', 'unlimited'])).codes as string[];

  server = await startServe(env);
  const api: AuthApiClient = createAuthApiClient({
    baseUrl: server.url,
    ikey: String(app.ikey),
    skey: String(app.skey),
  });
  let sent = 0;
  const login = async (username: string, passcode: string): Promise<Answer> => {
    // A counter in `hostname` (unread by Countersign) keeps each signed request distinct: they are single use.
    const raw = await api.send('POST', '/auth/v2/auth', {
      username,
      factor: 'passcode',
      passcode,
      hostname: `disk-full-${sent++}`,
    });
    const retryAfter = raw.headers['retry-after'];
    return {
      status: raw.status,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      body: JSON.parse(raw.body.toString('utf8')) as Answer['body'],
    };
  };
  const assertFailedClosed = (answer: Answer, what: string) => {
    assert.equal(answer.status, 503, `${what}: ${JSON.stringify(answer)}`);
    assert.equal(answer.body.stat, 'FAIL');
    assert.equal(answer.body.code, 50301);
    assert.match(answer.retryAfter ?? '', /^[1-9][0-9]*$/, `${what}: Retry-After`);
  };
  try {
    assert.equal((await login('busy', busyCode!)).body.response?.result, 'allow');

    fillUp(join(dataDir, 'filler'));
    // Until the WAL cannot take another page some logins may still commit; each answer is either a true
    // allow or a 503, and soon only 503s come.
    const answers: Answer[] = [];
    for (let i = 0; i < 2_000 && answers.filter((a) => a.status === 503).length < 50; i++) {
      answers.push(await login('busy', busyCode!));
    }
    const failed = answers.filter((answer) => answer.status !== 200);
    assert.ok(failed.length >= 50, `logins failed once the disk was full (${answers.length} tried)`);
    for (const answer of failed) assertFailedClosed(answer, 'a login the server could not record');
    for (const answer of answers.filter((a) => a.status === 200)) {
      assert.equal(answer.body.response?.result, 'allow', 'a committed login with the right code');
    }

    // Never an allow that was not written down: a bypass code the server could not spend stays unspent.
    const spend = await login('alice', codes[0]!);
    if (spend.status === 200) assert.equal(spend.body.response?.result, 'allow');
    else assertFailedClosed(spend, 'a bypass code while the disk is full');
    const wrong = await login('alice', '000000000');
    assert.notEqual(wrong.body.response?.result, 'allow', 'a wrong code is never allowed');

    const log = server.stdout();
    assert.match(log, /"level":50.*database or disk is full/, 'the failure is logged, with the reason');
    assert.match(log, /"msg":"the database failed: the login was not decided/);

    rmSync(join(dataDir, 'filler'));
    assert.equal((await login('busy', busyCode!)).body.response?.result, 'allow', 'service resumes');
    const retried = await login('alice', codes[0]!);
    assert.equal(
      retried.body.response?.result,
      spend.status === 200 ? 'deny' : 'allow',
      'the bypass code was spent exactly when the server said allow',
    );
    assert.equal((await login('alice', codes[1]!)).body.response?.result, 'allow');
  } finally {
    api.close();
  }
  assert.equal(await stopServe(server), 0, server.stderr());

  const db = new DatabaseSync(join(dataDir, 'countersign.db'), { readOnly: true });
  try {
    assert.equal(db.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok', 'the database is intact');
  } finally {
    db.close();
  }
});
