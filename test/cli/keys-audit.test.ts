// `countersign keys rotate` and `countersign audit tail` through runCli.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseKeyRing } from '../../src/crypto/keyring.ts';
import { sealedKeyId } from '../../src/crypto/secret-box.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['user', 'add', 'frank']);
  await cli.json(['app', 'add', 'Mail']);
  await cli.json(['totp', 'add', 'frank']);
});
after(() => cli.remove());

const keyFile = () => join(cli.dataDir, 'master.key');

test('keys rotate adds a primary key to the key file and re-seals every secret under it', async () => {
  const before = parseKeyRing(readFileSync(keyFile(), 'utf8'), 'before');
  const result = await cli.json(['keys', 'rotate']);
  const after = parseKeyRing(readFileSync(keyFile(), 'utf8'), 'after');
  assert.equal(result.primaryKey, after.primaryId);
  assert.notEqual(after.primaryId, before.primaryId);
  assert.equal(result.keys, 2);
  assert.ok(after.keys.has(before.primaryId), 'the old key stays to open anything not yet re-sealed');
  assert.equal(result.resealed, 2);

  const store = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    for (const app of await store.applications.list())
      assert.equal(sealedKeyId(app.skeySealed), after.primaryId);
    for (const device of await store.authenticators.listAll({ limit: 100, offset: 0 }))
      assert.equal(sealedKeyId(device.secretSealed ?? ''), after.primaryId);
  } finally {
    await store.close();
  }
  const again = await cli.run(['keys', 'rotate']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /2 secret\(s\) re-encrypted/);
});

test('keys rotate refuses a key ring that comes from the environment', async () => {
  const saved = { ...cli.env };
  cli.env.COUNTERSIGN_MASTER_KEY = Buffer.alloc(32, 1).toString('base64');
  try {
    const result = await cli.run(['keys', 'rotate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /rotate with a key file/);
  } finally {
    delete cli.env.COUNTERSIGN_MASTER_KEY;
    Object.assign(cli.env, saved);
  }
});

test('audit tail --json lists the administrative actions, oldest first', async () => {
  const entries = await cli.json<Array<{ action: string; actor: string; kind: string }>>([
    'audit',
    'tail',
    '--limit',
    '100',
  ]);
  const actions = entries.map((entry) => entry.action);
  for (const action of ['user.create', 'application.create', 'totp.add', 'keys.rotate'])
    assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
  assert.ok(actions.indexOf('user.create') < actions.indexOf('keys.rotate'));
  assert.ok(entries.every((entry) => entry.actor === 'cli:tester'));

  const limited = await cli.json<unknown[]>(['audit', 'tail', '--limit', '2']);
  assert.equal(limited.length, 2);
  // `totp add` on the command line is an administrator's action (issue 12): admin, not enrollment.
  const admins = await cli.json<Array<{ kind: string; action: string }>>([
    'audit',
    'tail',
    '--kind',
    'admin',
  ]);
  assert.ok(admins.length >= 4);
  assert.ok(admins.every((entry) => entry.kind === 'admin'));
  assert.ok(admins.some((entry) => entry.action === 'totp.add'));
  assert.deepEqual(await cli.json(['audit', 'tail', '--kind', 'enrollment']), []);
});

test('audit tail prints one line per entry, and refuses a bad --kind or --limit', async () => {
  const text = await cli.run(['audit', 'tail', '--limit', '3']);
  assert.equal(text.code, 0);
  const lines = text.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z (admin|enrollment) /);
  for (const args of [
    ['--kind', 'login'],
    ['--limit', '0'],
    ['--limit', 'all'],
  ]) {
    const result = await cli.run(['audit', 'tail', ...args]);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /--(kind|limit) must/);
  }
});
