// `countersign token import|assign` with the CSV and PSKC fixtures, and `countersign bypass issue`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/open-store.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/tokens/${name}`, import.meta.url));
// RFC 6030 §6.1 (Figure 6): the pre-shared AES-128 key.
const FIGURE6_KEY = '12345678901234567890123456789012';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['user', 'add', 'dave']);
  await cli.json(['user', 'add', 'erin']);
});
after(() => cli.remove());

async function storedSerials(): Promise<string[]> {
  const store = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    return (await store.authenticators.listAll({ limit: 1000, offset: 0 })).map(
      (token) => token.serial ?? '',
    );
  } finally {
    await store.close();
  }
}

test('a CSV file with one bad row imports nothing and exits 2 listing the row', async () => {
  const result = await cli.run(['token', 'import', fixture('tokens-one-bad-row.csv')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /nothing imported; 1 problem\(s\)/);
  assert.match(result.stderr, /\n {2}line 3 \(digits\): /);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.deepEqual(await storedSerials(), []);
  const json = await cli.run(['token', 'import', fixture('tokens-one-bad-row.csv'), '--json']);
  assert.equal(json.code, 2);
  assert.equal(JSON.parse(json.stdout).exitCode, 2);
});

test('a valid CSV file imports every row', async () => {
  const result = await cli.json(['token', 'import', fixture('tokens-valid.csv')]);
  assert.deepEqual(result, { imported: 3, serials: ['HW-0001', 'HW-0002', 'HW,0003'] });
  assert.deepEqual((await storedSerials()).sort(), ['HW,0003', 'HW-0001', 'HW-0002']);
});

test('importing the same file again imports nothing (the serials exist)', async () => {
  const result = await cli.run(['token', 'import', fixture('tokens-valid.csv')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /already exists.*HW-0001/);
  assert.equal((await storedSerials()).length, 3);
});

test('PSKC: plain (Figure 3) and encrypted with a pre-shared key (Figure 6)', async () => {
  const plain = await cli.json(['token', 'import', fixture('rfc6030-figure3.pskc.xml')]);
  assert.equal(plain.imported, 1);
  const noKey = await cli.run(['token', 'import', fixture('rfc6030-figure6.pskc.xml')]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /nothing imported/);
  const badKey = await cli.run(['token', 'import', fixture('rfc6030-figure6.pskc.xml'), '--key', 'zz']);
  assert.equal(badKey.code, 2);
  assert.match(badKey.stderr, /--key must be hex/);
  // Both figures carry serial 987654321: the second import is refused as a whole, then works in a new data dir.
  const args = ['token', 'import', fixture('rfc6030-figure6.pskc.xml'), '--key', FIGURE6_KEY];
  const duplicate = await cli.run(args);
  assert.equal(duplicate.code, 2);
  assert.match(duplicate.stderr, /serial '987654321' is already in the system/);
  assert.equal((await storedSerials()).length, 4);
  const other = cliSandbox();
  try {
    await other.json(['init']);
    assert.deepEqual(await other.json(args), { imported: 1, serials: ['987654321'] });
  } finally {
    other.remove();
  }
});

test('a file whose name does not tell its format needs --format', async () => {
  const result = await cli.run(['token', 'import', join(cli.dataDir, 'master.key')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--format csv or --format pskc/);
  const missing = await cli.run(['token', 'import', join(cli.dataDir, 'absent.csv')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read '.*absent\.csv'/);
});

test('token assign binds a token to one user only', async () => {
  const assigned = await cli.json(['token', 'assign', 'HW-0001', 'dave']);
  assert.equal(assigned.user, 'dave');
  const shown = await cli.json<{ devices: Array<{ serial: string }> }>(['user', 'show', 'dave']);
  assert.deepEqual(
    shown.devices.map((device) => device.serial),
    ['HW-0001'],
  );
  const taken = await cli.run(['token', 'assign', 'HW-0001', 'erin']);
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, /already assigned to another user/);
  const unknown = await cli.run(['token', 'assign', 'NOPE-1', 'erin']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /No such hardware token\. \(NOPE-1\)/);
});

test('bypass issue --count 3 --uses 2 --expires 30m', async () => {
  const before = Date.now();
  const result = await cli.json<{ user: string; codes: string[]; uses: number; expiresAt: string }>([
    'bypass',
    'issue',
    'erin',
    '--count',
    '3',
    '--uses',
    '2',
    '--expires',
    '30m',
  ]);
  const afterwards = Date.now();
  assert.equal(result.user, 'erin');
  assert.equal(result.codes.length, 3);
  for (const code of result.codes) assert.match(code, /^[0-9]{9}$/);
  assert.equal(new Set(result.codes).size, 3);
  assert.equal(result.uses, 2);
  const expires = Date.parse(result.expiresAt);
  assert.ok(expires >= before + 30 * 60_000 && expires <= afterwards + 30 * 60_000, result.expiresAt);
  assert.equal((await cli.json(['user', 'show', 'erin'])).activeBypassCodes, 3);

  const text = await cli.run(['bypass', 'issue', 'erin', '--uses', 'unlimited', '--expires', '1h']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^Bypass code for erin:\n {2}[0-9]{9}\nEach works any number of times, until /);
});

test('bypass issue refuses bad values and an unlimited code that never expires', async () => {
  for (const [args, pattern] of [
    [['--count', '0'], /--count must be between 1 and 100/],
    [['--count', 'three'], /--count must be a whole number/],
    [['--uses', '0'], /--uses must be between 1 and 1000/],
    [['--expires', '5x'], /--expires '5x' must look like/],
    [['--uses', 'unlimited', '--expires', 'never'], /unlimited uses must expire/],
  ] as const) {
    const result = await cli.run(['bypass', 'issue', 'erin', ...args]);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, pattern);
  }
});

test('bypass issue beyond 100 active codes is refused', async () => {
  await cli.json(['bypass', 'issue', 'dave', '--count', '100']);
  const result = await cli.run(['bypass', 'issue', 'dave']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /maximum number of active bypass codes/);
});
