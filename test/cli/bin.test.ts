// The real executable in a child process: `node bin/countersign.js …` with its exit codes and standard input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { verifyPassword } from '../../src/primary/local-password.ts';
import { openStore } from '../../src/store/open-store.ts';
import { BIN, runBin } from './run-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bin-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { USER: 'bin-tester', COUNTERSIGN_DATA_DIR: dataDir };
const bin = (args: string[], input?: string) =>
  runBin([...args, '--data-dir', dataDir], { env, ...(input !== undefined && { input }) });

test('init, user add and set-password from a pipe, through the real executable', async () => {
  const init = bin(['init', '--json']);
  assert.equal(init.code, 0, init.stderr);
  assert.equal(JSON.parse(init.stdout).createdKey, true);
  assert.ok(existsSync(join(dataDir, 'master.key')));

  assert.equal(bin(['user', 'add', 'heidi']).code, 0);
  const set = bin(['user', 'set-password', 'heidi', '--json'], 'hunter2 but longer\n');
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(JSON.parse(set.stdout).passwordSet, true);

  const store = await openStore({ sqlitePath: join(dataDir, 'countersign.db') });
  try {
    const hash = (await store.users.findByName('heidi'))?.passwordHash ?? '';
    assert.equal(await verifyPassword(hash, 'hunter2 but longer'), true);
  } finally {
    await store.close();
  }
});

test('bad input exits 2 with a one-line reason and no stack trace', () => {
  const missingUser = bin(['bypass', 'issue', 'nobody']);
  assert.equal(missingUser.code, 2);
  assert.equal(missingUser.stderr, 'countersign: No such user. (nobody)\n');
  assert.equal(missingUser.stdout, '');
});

// The machine's own Node.js, where it is older than Countersign needs (Debian's is 20): what someone running the
// command directly, outside npm, gets.
const OLD_NODE = '/usr/bin/node';
const oldVersion = spawnSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const [oldMajor = 0, oldMinor = 0] = oldVersion.replace(/^v/, '').split('.').map(Number);
const isOld = oldVersion !== '' && (oldMajor < 22 || (oldMajor === 22 && oldMinor < 13));

test('run with a Node.js older than 22.13, the command says so, says what to run instead, and exits 2', {
  skip: isOld ? false : `${OLD_NODE} is ${oldVersion || 'missing'}, not older than 22.13`,
}, () => {
  const result = spawnSync(OLD_NODE, [BIN, 'help'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, new RegExp(`^countersign: Node\\.js ${oldVersion.slice(1)} is too old`));
  assert.match(result.stderr, /npx countersign/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});
