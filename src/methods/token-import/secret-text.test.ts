// Tests for hex/base32 secret detection and prefixes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase32 } from '../../crypto/base32.ts';
import { decodeSecretText } from './secret-text.ts';

const value = (raw: string) => {
  const r = decodeSecretText(raw);
  assert.ok(r.ok, `expected ${raw} to decode`);
  return Buffer.from(r.value).toString('hex');
};
const message = (raw: string) => {
  const r = decodeSecretText(raw);
  assert.ok(!r.ok, `expected ${raw} to be rejected`);
  return r.message;
};

test('even-length hex-only text is hex', () => {
  assert.equal(value('3132333435'), '3132333435');
  assert.equal(value('ABcdEF'), 'abcdef');
});

test('anything else is base32', () => {
  assert.equal(value('GEZDGNBV'), '3132333435');
  assert.equal(value('gezd gnbv'), '3132333435');
  // Odd length hex-looking text falls through to base32.
  assert.equal(value('ABC'), '00');
});

test('prefixes force the encoding', () => {
  // "ABCD2345" looks like hex; the prefix makes it base32.
  assert.equal(value('ABCD2345'), 'abcd2345');
  assert.equal(value('base32:ABCD2345'), Buffer.from(decodeBase32('ABCD2345')).toString('hex'));
  assert.equal(value('base32:ABCD2345'), '00443d6f9d');
  assert.equal(value('HEX:3132'), '3132');
});

test('rejects bad secrets with a clear message', () => {
  assert.match(message(''), /empty/);
  assert.match(message('hex:313'), /even number/);
  assert.match(message('hex:zz'), /0-9 and a-f/);
  assert.match(message('GEZD!'), /not valid hex or base32.*"!"/);
  assert.match(message('base32:0000'), /"0"/);
});
