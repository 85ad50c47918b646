// `countersign init` and `countersign user …` through runCli with a fake Io.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { verifyPassword } from '../../src/primary/local-password.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(() => {
  cli = cliSandbox();
});
after(() => cli.remove());

test('init creates the key file and the database, and a second init keeps the key', async () => {
  const keyFile = join(cli.dataDir, 'master.key');
  const first = await cli.json(['init']);
  assert.deepEqual(first, {
    dataDir: cli.dataDir,
    keyFile,
    createdKey: true,
    samlCertificate: join(cli.dataDir, 'saml-signing.crt'),
    database: 'sqlite',
  });
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.ok(existsSync(join(cli.dataDir, 'countersign.db')));
  const key = readFileSync(keyFile, 'utf8');

  const second = await cli.run(['init']);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /\(kept\)/);
  assert.equal(readFileSync(keyFile, 'utf8'), key, 'the key file is never overwritten');
});

test('user add, then list and show it (no password hash is ever printed)', async () => {
  const added = await cli.json([
    'user',
    'add',
    'alice',
    '--name',
    'Alice Example',
    '--email',
    'alice@example.test',
    '--alias',
    'a.example',
    '--group',
    'staff',
  ]);
  assert.equal(added.username, 'alice');
  assert.match(String(added.id), /^DU[A-Z0-9]{18}$/);
  assert.deepEqual(added.aliases, ['a.example']);
  assert.equal(added.hasPassword, false);
  assert.equal('passwordHash' in added, false);

  const text = await cli.run(['user', 'add', 'bob']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^Added user bob \(DU[A-Z0-9]{18}\)\.\n$/);

  const list = await cli.json<Array<{ username: string }>>(['user', 'list']);
  assert.deepEqual(list.map((user) => user.username).sort(), ['alice', 'bob']);

  const shown = await cli.json(['user', 'show', 'a.example']);
  assert.equal(shown.id, added.id);
  assert.deepEqual(shown.devices, []);
  assert.equal(shown.activeBypassCodes, 0);
  const human = await cli.run(['user', 'show', 'alice']);
  assert.match(human.stdout, /^username\s+alice$/m);
  assert.match(human.stdout, /^Devices:\n\(none\)$/m);
});

test('user set-status changes the status; list --status filters by it', async () => {
  const result = await cli.json(['user', 'set-status', 'bob', 'disabled']);
  assert.deepEqual(
    { username: result.username, status: result.status },
    { username: 'bob', status: 'disabled' },
  );
  const disabled = await cli.json<Array<{ username: string }>>(['user', 'list', '--status', 'disabled']);
  assert.deepEqual(
    disabled.map((user) => user.username),
    ['bob'],
  );
});

test('user set-password reads the first line of standard input', async () => {
  const result = await cli.json(['user', 'set-password', 'alice'], 'correct horse\nignored second line\n');
  assert.equal(result.passwordSet, true);
  const shown = await cli.json(['user', 'show', 'alice']);
  assert.equal(shown.hasPassword, true);
  const store = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    const hash = (await store.users.findByName('alice'))?.passwordHash ?? '';
    assert.equal(await verifyPassword(hash, 'correct horse'), true, 'the line ending is not part of it');
  } finally {
    await store.close();
  }
});

test('user set-password refuses an empty password', async () => {
  const result = await cli.run(['user', 'set-password', 'bob'], '\n');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /the password is empty/);
  assert.equal((await cli.json(['user', 'show', 'bob'])).hasPassword, false);
});

test('user sign-out ends the user\'s portal sessions and remembered logins (an administrator\'s "sign out everywhere")', async () => {
  const store = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    const alice = (await store.users.findByName('alice'))!;
    const now = Date.now();
    await store.webSessions.create({
      id: 'session-hash-for-the-test-000000000000000000',
      userId: alice.id,
      kind: 'portal',
      csrf: 'csrf',
      createdAt: now,
      expiresAt: now + 3_600_000,
      mfaAt: now,
      revokedAt: null,
      data: {},
    });
    await store.rememberedLogins.create({
      id: 'remembered-hash-for-the-test-00000000000000',
      userId: alice.id,
      applicationId: null,
      createdAt: now,
      expiresAt: now + 3_600_000,
      revokedAt: null,
    });
  } finally {
    await store.close();
  }
  const result = await cli.json(['user', 'sign-out', 'alice']);
  assert.equal(result.ended, 2);
  const after = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    assert.equal(
      await after.webSessions.getActive('session-hash-for-the-test-000000000000000000', Date.now()),
      null,
    );
    assert.equal(
      await after.rememberedLogins.getActive('remembered-hash-for-the-test-00000000000000', Date.now()),
      null,
    );
  } finally {
    await after.close();
  }
  const unknown = await cli.run(['user', 'sign-out', 'nobody']);
  assert.equal(unknown.code, 2);
});
