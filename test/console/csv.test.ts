// The console's CSV: RFC 4180 quoting, and cells a spreadsheet would run as formulas defused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCsv } from '../../web/console/csv.ts';

test('quotes commas, quotes and line breaks; defuses = + - @ at the start of a cell', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        ['=SUM(A1)', 'line\nbreak'],
        ['@cmd', null],
        [-5, 7],
      ],
    ),
    'a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),"line\nbreak"\r\n\'@cmd,\r\n\'-5,7\r\n',
  );
});
