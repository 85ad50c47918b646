// `countersign backup` while a real `serve` handles logins, `countersign restore` onto a fresh machine, and the
// refusals: a running server's database, files that are not (or no longer) a Countersign database; pg_dump for PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';
import { assertUsageError, type CliResult, runBin } from './run-cli.ts';

const exec = promisify(execFile);

let root = '';
const nodes: ServeProcess[] = [];
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'countersign-backup-'));
});
after(async () => {
  for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

/** The environment of a machine whose data directory is `dataDir` (its master key in <dataDir>/master.key). */
function machine(dataDir: string): NodeJS.ProcessEnv {
  return environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    USER: 'tester',
  });
}

/** Runs the real `countersign` in a child process without blocking this one (the server's tests run beside it). */
async function run(env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(import.meta.dirname, '../../bin/countersign.js'), ...args],
      { env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function json(env: NodeJS.ProcessEnv, args: string[]): Promise<Record<string, unknown>> {
  const result = await run(env, [...args, '--json']);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

test('issue 14: a backup taken while serve handles logins restores onto a fresh machine, where the user logs in', async () => {
  const oldDir = join(root, 'old');
  const old = machine(oldDir);
  await json(old, ['init']);
  // The login loop below outruns the default per-user limit; the limits are not what this test is about.
  await writeFile(
    join(oldDir, 'countersign.toml'),
    '[limits]\nlogins_per_user_per_minute = 0\nlogins_per_address_per_minute = 0\n',
    { mode: 0o600 },
  );
  const app = await json(old, ['app', 'add', 'backup-test']);
  await json(old, ['user', 'add', 'alice']);
  await json(old, ['user', 'add', 'busy']);
  const totp = await json(old, ['totp', 'add', 'alice']);
  const secret = decodeBase32(new URL(String(totp.uri)).searchParams.get('secret') ?? '');
  const [spentBefore, spentAfter] = (await json(old, ['bypass', 'issue', 'alice', '--count', '2']))
    .codes as string[];
  const [busyCode] = (await json(old, ['bypass', 'issue', 'busy', '--uses', 'unlimited'])).codes as string[];

  const server = await startServe(old);
  nodes.push(server);
  const client = createAuthApiClient({ baseUrl: server.url, ikey: String(app.ikey), skey: String(app.skey) });
  // Duo's Date header counts seconds: a counter in `hostname` (which Countersign does not read) keeps each signed
  // request distinct, as a signed request is single use.
  let sent = 0;
  const login = (username: string, passcode: string) =>
    client.auth({ username, factor: 'passcode', passcode, hostname: `backup-test-${sent++}` });
  try {
    assert.equal((await login('alice', spentBefore!)).result, 'allow');

    // Logins keep the server writing for the whole life of the backup command.
    let backingUp = true;
    const answers: string[] = [];
    const loop = async () => {
      while (backingUp) answers.push((await login('busy', busyCode!)).result);
    };
    const loops = [loop(), loop()];
    const backupFile = join(root, 'countersign-backup.db');
    const backedUp = await run(old, ['backup', backupFile, '--json']).finally(() => {
      backingUp = false;
    });
    await Promise.all(loops);
    assert.equal(backedUp.code, 0, backedUp.stderr);
    assert.ok(answers.length > 0, 'logins ran while the backup was taken');
    assert.deepEqual(new Set(answers), new Set(['allow']), 'every login during the backup was answered');
    const report = JSON.parse(backedUp.stdout) as Record<string, unknown>;
    assert.equal(report.integrity, 'ok');
    assert.equal(report.masterKey, join(oldDir, 'master.key'));
    assert.match(String(report.reminder), /master key is not in this backup/);
    assert.equal((await stat(backupFile)).mode & 0o777, 0o600, 'the backup is readable by its owner only');

    // The human output says the same about the master key.
    const again = await run(old, ['backup', join(root, 'second.db')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /master key is not in this backup.*back up .*master\.key too/s);

    // Spent on the old machine after the backup: the restored database predates it.
    assert.equal((await login('alice', spentAfter!)).result, 'allow');

    const refused = await run(old, ['restore', backupFile]);
    assert.equal(refused.code, 1, `a running server's database is not replaced: ${refused.stderr}`);
    assert.match(refused.stderr, /open in another process \(a running 'countersign serve'/);
    assert.equal(
      (await login('alice', spentBefore!)).result,
      'deny',
      'the old server still has its own data',
    );

    // A fresh machine: a new data directory, the master key file copied from where it was backed up.
    const newDir = join(root, 'new');
    await mkdir(newDir, { mode: 0o700 });
    await copyFile(join(oldDir, 'master.key'), join(newDir, 'master.key'));
    const fresh = machine(newDir);
    const restored = await json(fresh, ['restore', backupFile]);
    assert.equal(restored.integrity, 'ok');
    assert.equal(restored.masterKeyOk, true, String(restored.reminder));
    assert.equal((await stat(join(newDir, 'countersign.db'))).mode & 0o777, 0o600);

    const moved = await startServe(fresh);
    nodes.push(moved);
    const newClient = createAuthApiClient({
      baseUrl: moved.url,
      ikey: String(app.ikey),
      skey: String(app.skey),
    });
    try {
      const passcode = generateTotp(secret, Date.now(), { algorithm: 'sha1', digits: 6, period: 30 });
      const auth = (passcode: string) => newClient.auth({ username: 'alice', factor: 'passcode', passcode });
      assert.equal(
        (await auth(passcode)).result,
        'allow',
        'a TOTP code (its seed opened with the copied key)',
      );
      assert.equal(
        (await auth(spentAfter!)).result,
        'allow',
        'a bypass code unspent when the backup was taken',
      );
      assert.equal(
        (await auth(spentBefore!)).result,
        'deny',
        'a bypass code spent before the backup stays spent',
      );
    } finally {
      newClient.close();
    }
    assert.equal(await stopServe(moved), 0, moved.stderr());
  } finally {
    client.close();
  }
  assert.equal(await stopServe(server), 0, server.stderr());
});

test('issue 14: restore says when the master key is missing or is not the one the backup needs', async () => {
  const source = join(root, 'keys-source');
  await json(machine(source), ['init']);
  await json(machine(source), ['user', 'add', 'carol']);
  await json(machine(source), ['totp', 'add', 'carol']);
  const file = join(root, 'keys.db');
  await json(machine(source), ['backup', file]);

  const bare = join(root, 'keys-bare');
  const noKey = await json(machine(bare), ['restore', file]);
  assert.equal(noKey.masterKeyOk, false);
  assert.match(
    String(noKey.reminder),
    /There is no master key at .*keys-bare\/master\.key: copy the master key/,
  );

  const other = join(root, 'keys-other');
  await json(machine(other), ['init']); // a key of its own, not the backup's
  const wrong = await json(machine(other), ['restore', file]);
  assert.equal(wrong.masterKeyOk, false);
  assert.match(String(wrong.reminder), /lacks key\(s\) k[0-9a-f]+ that the restored database uses/);
});

test('issue 14: restore refuses, with exit code 2 and the reason, files that are not a Countersign database', async () => {
  const target = join(root, 'refusals');
  await json(machine(target), ['init']);
  await json(machine(target), ['user', 'add', 'dave']);
  const good = join(root, 'refusals-good.db');
  await json(machine(target), ['backup', good]);
  const restore = (file: string) => runBin(['restore', file], { env: machine(target) });

  assertUsageError(restore(join(root, 'nothing-here.db')), /no backup file at/);
  await writeFile(join(root, 'text.db'), 'not a database at all, just some text that is long enough\n');
  assertUsageError(restore(join(root, 'text.db')), /is not a SQLite database/);

  const foreign = new DatabaseSync(join(root, 'foreign.db'));
  foreign.exec('CREATE TABLE notes (body TEXT)');
  foreign.close();
  assertUsageError(restore(join(root, 'foreign.db')), /is not a Countersign database/);

  const newer = join(root, 'newer.db');
  await copyFile(good, newer);
  const future = new DatabaseSync(newer);
  future.exec("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')");
  future.close();
  assertUsageError(restore(newer), /comes from a newer Countersign \(schema 9999-from-the-future unknown/);
  // Backing one up is another matter: an older command copies what it is given.
  const newerDir = join(root, 'refusals-newer');
  await mkdir(newerDir, { mode: 0o700 });
  await copyFile(newer, join(newerDir, 'countersign.db'));
  assert.equal(
    (await json(machine(newerDir), ['backup', join(root, 'newer-copy.db')])).schema,
    '9999-from-the-future',
  );

  // Pages past the first (the tables' b-trees) overwritten: the header and schema still read, the data does not.
  const damaged = join(root, 'damaged.db');
  const bytes = await readFile(good);
  bytes.fill(0xa5, 4096 * 2, 4096 * 6);
  await writeFile(damaged, bytes);
  assertUsageError(restore(damaged), /is damaged/);

  // Every refusal left the database as it was.
  const store = await openStore({ sqlitePath: join(target, 'countersign.db') });
  try {
    assert.equal((await store.users.findByName('dave'))?.username, 'dave');
  } finally {
    await store.close();
  }
});

const pgServer = testPgUrl();
test('issue 14: on PostgreSQL, backup and restore print the pg_dump and pg_restore lines, which work as printed', {
  skip: pgServer === undefined && PG_SKIP_MESSAGE,
}, async () => {
  const [from, to] = await Promise.all([createTestDatabase(pgServer!), createTestDatabase(pgServer!)]);
  try {
    const dataDir = join(root, 'pg');
    const env = (url: string) => ({ ...machine(dataDir), COUNTERSIGN_DATABASE_URL: url });
    await json(env(from.url), ['init']);
    await json(env(from.url), ['user', 'add', 'erin']);
    const dump = join(root, 'countersign.dump');
    const backedUp = await run(env(from.url), ['backup', dump]);
    assertUsageError(backedUp, /keeps its data in PostgreSQL/);
    assert.match(backedUp.stderr, /master key is not in this backup/);
    const dumpLine = /^ {2}(pg_dump .*)$/m.exec(backedUp.stderr)?.[1];
    assert.ok(dumpLine, backedUp.stderr);
    const restoring = await run(env(to.url), ['restore', dump]);
    assertUsageError(restoring, /keeps its data in PostgreSQL/);
    const restoreLine = /^ {2}(pg_restore .*)$/m.exec(restoring.stderr)?.[1];
    assert.ok(restoreLine, restoring.stderr);

    await exec('bash', ['-c', dumpLine]);
    await exec('bash', ['-c', restoreLine]);
    const store = await openStore({ url: to.url });
    try {
      assert.equal((await store.users.findByName('erin'))?.username, 'erin');
    } finally {
      await store.close();
    }
  } finally {
    await Promise.all([from.drop(), to.drop()]);
  }
});
