// Issue 14: an answered login survives `kill -9` right after the answer. Logins run concurrently, so on SQLite they
// share group commits (src/store/group-commit.ts): every allow the client received must find, after the crash and
// a restart, its bypass code spent and its audit row and transaction row stored.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { cli, environment, startServe, stopServe } from '../support/serve-process.ts';

const CODES = 40;
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Answer {
  code: string;
  result: string | undefined;
  status: number;
}

test('issue 14: every login answered allow before kill -9 is stored: code spent, audit and transaction rows', {
  timeout: 400_000,
}, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-crash-answer-'));
  dirs.push(dataDir);
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    USER: 'tester',
  });
  await cli(env, ['init']);
  // Forty logins of one user at once: the rate limits are not what this test is about.
  await writeFile(
    join(dataDir, 'countersign.toml'),
    '[limits]\nlogins_per_user_per_minute = 0\nlogins_per_address_per_minute = 0\n',
    { mode: 0o600 },
  );
  const app = await cli(env, ['app', 'add', 'crash']);
  const user = await cli(env, ['user', 'add', 'carol']);
  const codes = (await cli(env, ['bypass', 'issue', 'carol', '--count', String(CODES)])).codes as string[];

  const server = await startServe(env);
  const api = createAuthApiClient({ baseUrl: server.url, ikey: String(app.ikey), skey: String(app.skey) });
  const exited = once(server.process, 'exit');
  let killed = false;
  const answers: Answer[] = [];
  try {
    await Promise.allSettled(
      codes.map(async (code, index) => {
        const raw = await api.send('POST', '/auth/v2/auth', {
          username: 'carol',
          factor: 'passcode',
          passcode: code,
          hostname: `crash-${index}`,
        });
        const body = JSON.parse(raw.body.toString('utf8')) as { response?: { result?: string } };
        answers.push({ code, result: body.response?.result, status: raw.status });
        // The first answer ends the server at once: no graceful shutdown, no chance to write anything more.
        if (!killed) {
          killed = true;
          server.process.kill('SIGKILL');
        }
      }),
    );
  } finally {
    api.close();
  }
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
  const allowed = answers.filter((answer) => answer.result === 'allow');
  assert.ok(allowed.length >= 1, `at least the first login was answered: ${JSON.stringify(answers)}`);
  for (const answer of answers) assert.equal(answer.result, 'allow', 'an answer sent is a right one');

  // Read the file as the restarted server would find it (the WAL is replayed on open).
  const db = new DatabaseSync(join(dataDir, 'countersign.db'));
  try {
    const audited = db
      .prepare(
        "select count(*) as n from audit_log where user_id = ? and kind = 'auth' and action = 'authentication' and result = 'success'",
      )
      .get(String(user.id)) as { n: number };
    assert.ok(audited.n >= allowed.length, `${audited.n} audit rows for ${allowed.length} allows`);
    const transactions = db
      .prepare("select count(*) as n from auth_transactions where user_id = ? and state = 'allow'")
      .get(String(user.id)) as { n: number };
    assert.ok(
      transactions.n >= allowed.length,
      `${transactions.n} transactions for ${allowed.length} allows`,
    );
  } finally {
    db.close();
  }

  // Restarted: each code answered allow is spent, so it is refused now.
  const restarted = await startServe(env);
  const again = createAuthApiClient({
    baseUrl: restarted.url,
    ikey: String(app.ikey),
    skey: String(app.skey),
  });
  try {
    for (const [index, answer] of allowed.entries()) {
      const result = await again.auth({
        username: 'carol',
        factor: 'passcode',
        passcode: answer.code,
        hostname: `again-${index}`,
      });
      assert.equal(result.result, 'deny', `code ${index} was spent before the crash`);
    }
  } finally {
    again.close();
    assert.equal(await stopServe(restarted), 0, restarted.stderr());
  }
});
