// The docs-commands test's reader: command lines, continuations and comments as the shell sees them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentStart, shellCommands } from './shell-blocks.ts';

test('only ```sh blocks are read; comments, blank lines and other blocks are left out', () => {
  const markdown = [
    'Text with `countersign ignored`.',
    '```sh',
    '# a comment line',
    '',
    'countersign app add "A # not a comment"   # a comment',
    "echo 'x' | countersign user set-password alice",
    '```',
    '```toml',
    'port = 1',
    '```',
    '```',
    'countersign in-a-plain-block',
    '```',
  ].join('\n');
  assert.deepEqual(
    shellCommands('doc.md', markdown).map(({ line, source }) => [line, source]),
    [
      [5, 'countersign app add "A # not a comment"'],
      [6, "echo 'x' | countersign user set-password alice"],
    ],
  );
});

test('a line ending in a backslash continues; the key is the command on one line', () => {
  const markdown = ['```sh', 'A=1 B=2 \\', '  run this   # why', 'next', '```'].join('\n');
  const commands = shellCommands('doc.md', markdown);
  assert.deepEqual(
    commands.map(({ key }) => key),
    ['A=1 B=2 run this', 'next'],
  );
  assert.equal(commands[0]!.source, 'A=1 B=2 \\\n  run this');
});

test('a # inside a word or quotes is not a comment', () => {
  assert.equal(commentStart('open http://h/activate/#code=1'), -1);
  assert.equal(commentStart('echo \'a # b\' "c # d"'), -1);
  assert.equal(commentStart('echo a\\ #b'), -1);
  assert.equal(commentStart('echo a # b'), 7);
});

test('a continuation running into the end of the block is an error, not a silent skip', () => {
  assert.throws(() => shellCommands('doc.md', '```sh\nrun \\\n```\n'), /doc\.md:2: a continued line/);
});
