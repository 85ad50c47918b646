// Tests for the token CSV importer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseTokenCsv } from './csv.ts';
import type { ImportResult } from './imported-token.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/tokens/${name}`, import.meta.url), 'utf8');
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const HEX = '3132333435363738393031323334353637383930';

function tokensOf(result: ImportResult) {
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(!result.ok && result.errors)}`);
  return result.tokens;
}
function errorsOf(result: ImportResult) {
  assert.ok(!result.ok, 'expected the import to fail');
  return result.errors;
}

test('parses the sample file: BOM, CRLF, mixed-case header, quoting, hex and base32', () => {
  const tokens = tokensOf(parseTokenCsv(fixture('tokens-valid.csv')));
  assert.deepEqual(tokens, [
    {
      serial: 'HW-0001',
      kind: 'hotp',
      secret: RFC_SECRET,
      digits: 6,
      algorithm: 'sha1',
      counter: 0n,
      period: 0,
    },
    {
      serial: 'HW-0002',
      kind: 'totp',
      secret: new TextEncoder().encode('12345678901234567890'),
      digits: 8,
      algorithm: 'sha256',
      counter: 0n,
      period: 30,
    },
    {
      serial: 'HW,0003',
      kind: 'totp',
      secret: RFC_SECRET,
      digits: 6,
      algorithm: 'sha1',
      counter: 0n,
      period: 60,
    },
  ]);
});

test('columns may come in any order; optional columns default', () => {
  const tokens = tokensOf(parseTokenCsv(`TYPE,Serial,SECRET\nhotp,a1,${HEX}\ntotp,a2,hex:${HEX}\n\n`));
  assert.deepEqual(
    tokens.map((t) => [t.serial, t.kind, t.digits, t.algorithm, t.counter, t.period]),
    [
      ['a1', 'hotp', 6, 'sha1', 0n, 0],
      ['a2', 'totp', 6, 'sha1', 0n, 30],
    ],
  );
});

test('reads the HOTP starting counter', () => {
  const [token] = tokensOf(parseTokenCsv(`serial,secret,type,counter\nx,${HEX},hotp,18446744073709551615`));
  assert.equal(token?.counter, 18446744073709551615n);
});

test('rejects unknown columns, naming them', () => {
  const errors = errorsOf(parseTokenCsv(`serial,secret,type,colour,Size\nx,${HEX},hotp,red,1`));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 1);
  assert.match(errors[0]!.message, /unknown column\(s\) "colour", "Size"/);
});

test('rejects a header without the required columns, and duplicate columns', () => {
  assert.match(
    errorsOf(parseTokenCsv(`serial,type\nx,hotp`))[0]!.message,
    /missing required column\(s\): secret/,
  );
  const errors = errorsOf(parseTokenCsv(`serial,secret,type,Type\nx,${HEX},hotp,hotp`));
  assert.match(errors[0]!.message, /"type" appears twice/);
});

test('rejects empty files and header-only files', () => {
  assert.match(errorsOf(parseTokenCsv(''))[0]!.message, /file is empty/);
  assert.match(errorsOf(parseTokenCsv('\uFEFF\n'))[0]!.message, /file is empty/);
  assert.match(errorsOf(parseTokenCsv('serial,secret,type\n'))[0]!.message, /no token rows/);
});

test('one bad row among good rows: nothing is imported and that line is reported', () => {
  const errors = errorsOf(parseTokenCsv(fixture('tokens-one-bad-row.csv')));
  assert.deepEqual(errors, [{ line: 3, field: 'digits', message: 'digits must be 6 or 8, got "7"' }]);
});

test('lists every error in every row', () => {
  const text = [
    'serial,secret,type,digits,counter,step,algorithm',
    `ok-1,${HEX},hotp,6,0,,sha1`,
    ',zz!,hotc,9,-1,,md5',
    `t-1,${HEX},totp,6,5,301,sha1`,
    `short,3132,hotp,,,,`,
    `h-1,${HEX},hotp,,,30,`,
    'too,few',
    '',
    `ok-2,${HEX},totp,,,,`,
  ].join('\n');
  const errors = errorsOf(parseTokenCsv(text));
  assert.deepEqual(
    errors.map((e) => [e.line, e.field]),
    [
      [3, 'serial'],
      [3, 'secret'],
      [3, 'type'],
      [3, 'digits'],
      [3, 'algorithm'],
      [4, 'step'],
      [4, 'counter'],
      [5, 'secret'],
      [6, 'step'],
      [7, undefined],
      [8, undefined],
    ],
  );
  assert.match(errors[7]!.message, /secret is 2 bytes; it must be 10 to 64 bytes/);
  assert.match(errors[9]!.message, /expected 7 fields as in the header, found 2/);
  assert.match(errors[10]!.message, /empty line/);
});

test('a duplicate serial is reported on its second line', () => {
  const text = `serial,secret,type\nA,${HEX},hotp\nB,${HEX},hotp\nA,${HEX},totp`;
  assert.deepEqual(errorsOf(parseTokenCsv(text)), [
    { line: 4, field: 'serial', message: 'duplicate serial "A" (first used on line 2)' },
  ]);
});

test('line numbers account for line breaks inside quoted fields', () => {
  const text = `serial,secret,type\n"multi\nline",${HEX},hotp\nbad,${HEX},xotp`;
  const errors = errorsOf(parseTokenCsv(text));
  assert.deepEqual(
    errors.map((e) => [e.line, e.field]),
    [
      [2, 'serial'],
      [4, 'type'],
    ],
  );
});

test('a base32 secret that looks like hex needs the base32: prefix', () => {
  // 20 chars of hex digits: read as 10 bytes of hex unless prefixed.
  const plain = tokensOf(parseTokenCsv('serial,secret,type\nx,ABCDEF0123ABCDEF2345,hotp'));
  assert.equal(plain[0]!.secret.length, 10);
  const errors = errorsOf(parseTokenCsv('serial,secret,type\nx,base32:ABCDEF0123ABCDEF2345,hotp'));
  assert.match(errors[0]!.message, /invalid base32 character "0"/);
  const prefixed = tokensOf(parseTokenCsv('serial,secret,type\nx,base32:ABCDEF2345ABCDEF2345,hotp'));
  assert.equal(prefixed[0]!.secret.length, 12);
});

test('reports malformed quoting with the line', () => {
  const errors = errorsOf(parseTokenCsv(`serial,secret,type\n"x"y,${HEX},hotp\n"open,${HEX},hotp`));
  assert.deepEqual(
    errors.map((e) => e.line),
    [2, 3],
  );
});
