// `countersign admin …` through runCli: roles given, listed, changed and taken away; bad input exits 2.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  assert.equal((await cli.run(['init'])).code, 0);
  for (const name of ['alice', 'bob']) assert.equal((await cli.run(['user', 'add', name])).code, 0);
});
after(() => cli.remove());

test('admin add, list, set-role and remove; each lands in the administrator log with the CLI actor', async () => {
  const empty = await cli.run(['admin', 'list']);
  assert.match(empty.stdout, /countersign admin add <username> --role owner/);
  assert.deepEqual(await cli.json(['admin', 'add', 'alice', '--role', 'owner']), {
    id: (await cli.json<{ id: string }>(['user', 'show', 'alice'])).id,
    username: 'alice',
    role: 'owner',
  });
  await cli.json(['admin', 'add', 'bob', '--role', 'help-desk']);
  const listed = await cli.json<Array<{ username: string; role: string }>>(['admin', 'list']);
  assert.deepEqual(
    listed.map((row) => [row.username, row.role]),
    [
      ['alice', 'owner'],
      ['bob', 'help-desk'],
    ],
  );
  assert.equal((await cli.json(['admin', 'set-role', 'bob', 'read-only'])).role, 'read-only');
  assert.equal((await cli.json(['admin', 'remove', 'bob'])).removed, true);
  const log = await cli.json<Array<{ action: string; actor: string }>>(['audit', 'tail', '--limit', '20']);
  const actions = log.filter((entry) => entry.action.startsWith('admin.')).map((entry) => entry.action);
  assert.deepEqual([...actions].sort(), ['admin.add', 'admin.add', 'admin.remove', 'admin.set-role']);
  assert.ok(log.filter((entry) => entry.action.startsWith('admin.')).every((e) => e.actor === 'cli:tester'));
});

test('bad input is a message and exit 2: no role, an unknown role or user, twice, not one, the last owner', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['admin', 'add', 'bob'], /--role is required/],
    [['admin', 'add', 'bob', '--role', 'king'], /--role 'king' is not one of owner, administrator/],
    [['admin', 'add', 'nobody', '--role', 'owner'], /nobody/],
    [['admin', 'add', 'alice', '--role', 'owner'], /already an administrator/],
    [['admin', 'set-role', 'bob', 'owner'], /bob is not an administrator/],
    [['admin', 'set-role', 'alice', 'emperor'], /role 'emperor' is not one of/],
    [['admin', 'remove', 'bob'], /bob is not an administrator/],
    [['admin', 'set-role', 'alice', 'read-only'], /last owner/],
    [['admin', 'remove', 'alice'], /last owner/],
  ];
  for (const [args, message] of cases) {
    const result = await cli.run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
  }
  const listed = await cli.json<Array<{ username: string; role: string }>>(['admin', 'list']);
  assert.deepEqual(
    listed.map((row) => [row.username, row.role]),
    [['alice', 'owner']],
  );
});
