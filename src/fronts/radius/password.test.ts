// PAP hiding: round trips, the 128-byte limit, padding, and rejection of malformed hidden values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hidePassword, RadiusPasswordError, unhidePassword } from './password.ts';

const AUTH = Buffer.alloc(16, 7);

test('hidden length is the password padded to a multiple of 16 (at least 16)', () => {
  assert.equal(hidePassword('', 's', AUTH).length, 16);
  assert.equal(hidePassword('x'.repeat(16), 's', AUTH).length, 16);
  assert.equal(hidePassword('x'.repeat(17), 's', AUTH).length, 32);
  assert.equal(hidePassword('x'.repeat(128), 's', AUTH).length, 128);
});

test('a password over 128 bytes is refused with a typed error', () => {
  assert.throws(() => hidePassword('x'.repeat(129), 's', AUTH), RadiusPasswordError);
});

test('unhide refuses lengths that are not 16..128 multiples of 16', () => {
  for (const length of [0, 15, 17, 144]) {
    const result = unhidePassword(Buffer.alloc(length), 's', AUTH);
    assert.equal(result.ok, false, `length ${length}`);
  }
});

test('a wrong secret does not recover the password', () => {
  const hidden = hidePassword('s3cret', 'right', AUTH);
  const result = unhidePassword(hidden, 'wrong', AUTH);
  assert.ok(result.ok);
  assert.notEqual(result.password.toString(), 's3cret');
});

test('property: hide then unhide returns the password (without trailing NULs)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 128 }).filter((p) => p.length === 0 || p[p.length - 1] !== 0),
      fc.string({ minLength: 1 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      (password, secret, authenticator) => {
        const result = unhidePassword(hidePassword(password, secret, authenticator), secret, authenticator);
        assert.ok(result.ok);
        assert.deepEqual(new Uint8Array(result.password), password);
      },
    ),
  );
});
