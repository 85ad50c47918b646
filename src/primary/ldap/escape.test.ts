import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EqualityFilter, FilterParser } from 'ldapts';
import { escapeDnValue, escapeFilterValue } from './escape.ts';

// RFC 4515 §4 examples (hex digits may be either case, §3; we emit lowercase)
test('RFC 4515 §4: parentheses are escaped', () => {
  assert.equal(
    `(o=${escapeFilterValue('Parens R Us (for all your parenthetical needs)')})`,
    '(o=Parens R Us \\28for all your parenthetical needs\\29)',
  );
});

test('RFC 4515 §4: an asterisk is escaped, so it is a literal and not a wildcard', () => {
  assert.equal(`(cn=*${escapeFilterValue('*')}*)`, '(cn=*\\2a*)');
});

test('RFC 4515 §4: a backslash is escaped', () => {
  assert.equal(`(filename=${escapeFilterValue('C:\\MyFile')})`, '(filename=C:\\5cMyFile)');
});

test('RFC 4515 §4: NUL bytes are escaped', () => {
  assert.equal(`(bin=${escapeFilterValue('\0\0\0\x04')})`, '(bin=\\00\\00\\00\x04)');
});

test('RFC 4515 §4: UTF-8 bytes of non-ASCII characters are escaped', () => {
  assert.equal(`(sn=${escapeFilterValue('Lučić')})`, '(sn=Lu\\c4\\8di\\c4\\87)');
});

test('plain ASCII passes through unchanged', () => {
  assert.equal(escapeFilterValue('alice.smith-01@example.org'), 'alice.smith-01@example.org');
});

test('injection attempts become literal values', () => {
  assert.equal(escapeFilterValue('alice)(uid=*'), 'alice\\29\\28uid=\\2a');
  assert.equal(escapeFilterValue('*)(|(uid=*'), '\\2a\\29\\28|\\28uid=\\2a');
  assert.equal(escapeFilterValue('\\2a'), '\\5c2a');
});

test('property: any escaped value parses as one equality assertion of the same bytes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (value) => {
      const escaped = escapeFilterValue(value);
      assert.doesNotMatch(escaped, /[()*\u0080-\uffff]/);
      assert.ok(!escaped.includes('\0'));
      assert.doesNotMatch(escaped, /\\(?![0-9a-f]{2})/);
      const parsed = FilterParser.parseString(`(uid=${escaped})`);
      assert.ok(parsed instanceof EqualityFilter);
      // ldapts decodes each \XX as one Latin-1 character
      assert.equal(parsed.value, Buffer.from(value, 'utf8').toString('latin1'));
    }),
  );
});

test('RFC 4514 §2.4: DN special characters are escaped', () => {
  assert.equal(escapeDnValue('Smith, John'), 'Smith\\, John');
  assert.equal(escapeDnValue('a+b;c<d>e"f\\g'), 'a\\+b\\;c\\<d\\>e\\"f\\\\g');
});

test('RFC 4514 §2.4: leading space or #, trailing space, and NUL are escaped', () => {
  assert.equal(escapeDnValue('#admin'), '\\#admin');
  assert.equal(escapeDnValue(' padded '), '\\ padded\\ ');
  assert.equal(escapeDnValue('a\0b'), 'a\\00b');
  assert.equal(escapeDnValue('mid#dle'), 'mid#dle');
});

test('filter metacharacters need no escaping in a DN', () => {
  assert.equal(escapeDnValue('star*paren)'), 'star*paren)');
});
