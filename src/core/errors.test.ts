import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CountersignError, ERRORS, isCountersignError, publicMessage } from './errors.ts';

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** The codes docs/errors.md lists in its table of codes, with the kind each row gives. */
function documentedCodes(text: string): Map<string, string> {
  const rows = [...text.matchAll(/^\| `([A-Z_]+)` \| ([a-z_]+) \|/gm)];
  return new Map(rows.map(([, code, kind]) => [code!, kind!]));
}

test('every error code is documented in docs/errors.md with its kind', () => {
  const documented = documentedCodes(page);
  const missing = Object.entries(ERRORS)
    .filter(([code, { kind }]) => documented.get(code) !== kind)
    .map(([code]) => code);
  assert.deepEqual(missing, []);
});

test('issue 15: every code docs/errors.md documents still exists in the registry', () => {
  const stale = [...documentedCodes(page).keys()].filter((code) => !(code in ERRORS));
  assert.deepEqual(stale, []);
});

test('issue 15: a code documented but removed from the registry is caught', () => {
  const withGhost = `${page}\n| \`NO_SUCH_CODE\` | invalid | — | 400 | — | Removed long ago. |\n`;
  const stale = [...documentedCodes(withGhost).keys()].filter((code) => !(code in ERRORS));
  assert.deepEqual(stale, ['NO_SUCH_CODE']);
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

test('issue 15: the public message leaves the detail out, except for codes whose detail is for the caller', () => {
  assert.equal(
    publicMessage(new CountersignError('INVALID_INPUT', 'id: authenticator D1 exists')),
    ERRORS.INVALID_INPUT.message,
  );
  assert.equal(
    publicMessage(new CountersignError('TRANSACTION_NOT_FOUND', 'T123')),
    ERRORS.TRANSACTION_NOT_FOUND.message,
  );
  assert.equal(
    publicMessage(new CountersignError('INVALID_USERNAME', 'it contains a control character (U+0009)')),
    'That username is not valid: it contains a control character (U+0009).',
  );
  assert.equal(
    publicMessage(new CountersignError('INVALID_REQUEST', 'passcode is required')),
    'The request is not valid: passcode is required.',
  );
  assert.equal(publicMessage(new CountersignError('INVALID_REQUEST')), ERRORS.INVALID_REQUEST.message);
});
