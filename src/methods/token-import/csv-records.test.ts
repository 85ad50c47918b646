// Tests for the RFC 4180 record splitter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCsvRecords } from './csv-records.ts';

test('splits LF and CRLF lines and drops the final line break', () => {
  assert.deepEqual(splitCsvRecords('a,b\r\nc,d\n'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['c', 'd'] },
  ]);
});

test('reads quoted fields with commas, doubled quotes and line breaks', () => {
  const records = splitCsvRecords('"a,b","say ""hi""",x\n"multi\nline",y\nlast,z');
  assert.deepEqual(records, [
    { line: 1, fields: ['a,b', 'say "hi"', 'x'] },
    { line: 2, fields: ['multi\nline', 'y'] },
    { line: 4, fields: ['last', 'z'] },
  ]);
});

test('keeps empty fields and blank lines', () => {
  assert.deepEqual(splitCsvRecords(',\n\nx'), [
    { line: 1, fields: ['', ''] },
    { line: 2, fields: [''] },
    { line: 3, fields: ['x'] },
  ]);
});

test('reports an unterminated quote with its starting line', () => {
  const records = splitCsvRecords('a\n"open,\nstill open');
  assert.equal(records.length, 2);
  assert.match(records[1]!.error ?? '', /starting on line 2 is never closed/);
});

test('reports stray quotes and resumes on the next line', () => {
  const records = splitCsvRecords('ab"c,d\n"x"y,z\nok,1');
  assert.match(records[0]!.error ?? '', /quote inside an unquoted field/);
  assert.match(records[1]!.error ?? '', /after a closing quote/);
  assert.deepEqual(records[2], { line: 3, fields: ['ok', '1'] });
});
