// Bad input to the CLI: exit 2 with a clear message and never a stack trace; --json errors are JSON too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { COMMANDS, runCli } from '../../src/cli/main.ts';
import { assertUsageError, type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['user', 'add', 'grace']);
});
after(() => cli.remove());

test('an unknown command', async () => {
  assertUsageError(await cli.run(['frobnicate']), /unknown command 'frobnicate.*countersign --help/);
  assertUsageError(await cli.run(['user', 'delete', 'grace']), /unknown command 'user delete'/);
});

test('a missing or extra argument', async () => {
  assertUsageError(await cli.run(['user', 'add']), /expected 1 argument\(s\)\nusage: countersign user add/);
  assertUsageError(await cli.run(['token', 'assign', 'HW-1']), /expected 2 argument\(s\)/);
  assertUsageError(await cli.run(['user', 'list', 'extra']), /expected 0 argument\(s\)/);
});

test('an unknown option or a bad option value', async () => {
  assertUsageError(await cli.run(['user', 'list', '--bogus']), /Unknown option '--bogus'/);
  assertUsageError(await cli.run(['user', 'list', '--limit', '0']), /--limit must be between 1 and 10000/);
  assertUsageError(await cli.run(['user', 'add', 'h', '--email', 'nope']), /--email 'nope' is not an e-mail/);
  assertUsageError(
    await cli.run(['user', 'add', 'bad\tname']),
    /username 'bad\tname' is not valid: it contains a control/,
  );
  assertUsageError(await cli.run(['user', 'set-status', 'grace', 'sleepy']), /status must be one of/);
  assertUsageError(await cli.run(['totp', 'add', 'grace', '--digits', '7']), /--digits must be 6 or 8/);
  assertUsageError(await cli.run(['totp', 'add', 'grace', '--algorithm', 'md5']), /--algorithm must be/);
});

test('an unknown user, for every command that names one', async () => {
  for (const args of [
    ['user', 'show', 'nobody'],
    ['user', 'set-status', 'nobody', 'active'],
    ['user', 'set-password', 'nobody'],
    ['totp', 'add', 'nobody'],
    ['bypass', 'issue', 'nobody'],
    ['token', 'assign', 'HW-1', 'nobody'],
  ]) {
    assertUsageError(await cli.run(args, 'pw\n'), /No such user\. \(nobody\)/);
  }
  assertUsageError(await cli.run(['app', 'show', 'nothing']), /No such application\. \(nothing\)/);
});

test('a user that exists already', async () => {
  assertUsageError(await cli.run(['user', 'add', 'grace']), /already exists/);
});

test('with --json an error is a JSON object on standard output', async () => {
  const result = await cli.run(['user', 'show', 'nobody', '--json']);
  assert.equal(result.code, 2);
  assert.deepEqual(JSON.parse(result.stdout), { error: 'No such user. (nobody)', exitCode: 2 });
  const unknown = await cli.run(['frobnicate', '--json']);
  assert.equal(JSON.parse(unknown.stdout).exitCode, 2);
});

test('a bad configuration exits 2 and lists the problem', async () => {
  cli.env.COUNTERSIGN_HTTP_PORT = 'eighty';
  try {
    assertUsageError(await cli.run(['user', 'list']), /option 'http\.port' .*"eighty"/);
  } finally {
    delete cli.env.COUNTERSIGN_HTTP_PORT;
  }
});

test('before init, commands fail with exit 1 and say to run init', async () => {
  const empty = cliSandbox();
  try {
    const result = await empty.run(['user', 'list']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /run 'countersign init' first/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  } finally {
    empty.remove();
  }
});

test('help: no arguments exits 2 with the list; --help exits 0; every command has its own --help', async () => {
  let bareOut = '';
  const bareCode = await runCli([], {
    stdout: (text) => {
      bareOut += text;
    },
    stderr: () => {},
    readStdin: async () => '',
    env: cli.env,
  });
  const bare = { code: bareCode, stdout: bareOut };
  assert.equal(bare.code, 2);
  for (const command of COMMANDS) assert.ok(bare.stdout.includes(command.name), command.name);
  const help = await cli.run(['--help']);
  assert.equal(help.code, 0);
  for (const command of COMMANDS) {
    const own = await cli.run([...command.name.split(' '), '--help']);
    assert.equal(own.code, 0, command.name);
    assert.ok(own.stdout.startsWith(command.usage), command.name);
  }
});
