import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CountersignError, ERRORS, isCountersignError } from './errors.ts';

test('every error code is documented in docs/errors.md with its kind', () => {
  const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const missing = Object.entries(ERRORS)
    .filter(([code, { kind }]) => !page.includes(`| \`${code}\` | ${kind} |`))
    .map(([code]) => code);
  assert.deepEqual(missing, []);
});

test('codes are UPPER_SNAKE and messages are sentences or short phrases', () => {
  for (const [code, { message }] of Object.entries(ERRORS)) {
    assert.match(code, /^[A-Z]+(_[A-Z]+)*$/);
    assert.ok(message.length > 0 && message.length < 120, code);
  }
});

test('a CountersignError carries its code, kind and detail', () => {
  const error = new CountersignError('TOKEN_EXISTS', 'serial 42');
  assert.equal(error.kind, 'conflict');
  assert.equal(error.detail, 'serial 42');
  assert.ok(isCountersignError(error, 'TOKEN_EXISTS'));
  assert.ok(!isCountersignError(error, 'USER_EXISTS'));
  assert.ok(!isCountersignError(new Error('x')));
});
