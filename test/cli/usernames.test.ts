// Issue 9.4 at the CLI: `user add` stores the canonical name, refuses bad ones with exit 2, and finds variants.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
});
after(() => cli.remove());

test('issue 9.4: user add refuses a refused name or alias with exit code 2 and the reason', async () => {
  const cases = [
    [
      ['user', 'add', 'ali\u0441e'],
      /username 'ali\u0441e' is not valid: it mixes Latin and Cyrillic letters/,
    ],
    [['user', 'add', 'alice\u200b'], /invisible formatting character \(U\+200B\)/],
    [['user', 'add', 'al\tice'], /control character \(U\+0009\)/],
    [
      ['user', 'add', 'grace', '--alias', 'gr\u0430ce'],
      /alias 'gr\u0430ce' is not valid: it mixes Latin and Cyrillic/,
    ],
  ] as const;
  for (const [args, message] of cases) {
    const result = await cli.run([...args]);
    assert.equal(result.code, 2, `${JSON.stringify(args)}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.deepEqual(await cli.json(['user', 'list']), [], 'nothing was added');
});

test('issue 9.4: user add stores the canonical name; a variant of a taken name is USER_EXISTS (exit 2)', async () => {
  // The Kelvin sign is the letter K under NFKC: stored as K, so the directory is sent "Kate", not "\u212Aate".
  const added = await cli.json(['user', 'add', '\u212Aate']);
  assert.equal(added.username, 'Kate');
  assert.equal((await cli.json(['user', 'add', '  grace  '])).username, 'grace');
  const again = await cli.run(['user', 'add', 'KATE']);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists/);
  const alice = await cli.json(['user', 'add', 'alice']);
  for (const variant of ['ALİCE', ' alice', 'ＡＬＩＣＥ']) {
    const shown = await cli.json(['user', 'show', variant]);
    assert.equal(shown.id, alice.id, variant);
  }
  const refused = await cli.run(['user', 'show', 'alice\u200b']);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /That username is not valid\. \(it contains an invisible formatting character \(U\+200B\)\)/,
  );
});
