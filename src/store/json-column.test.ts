// Unit tests for the JSON text column helpers.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readJsonObject, readJsonStrings, StoredJsonError, writeJson } from './json-column.ts';

it('round-trips objects and string arrays', () => {
  assert.deepEqual(readJsonObject(writeJson({ a: [1, 'b'] }), 't.c'), { a: [1, 'b'] });
  assert.deepEqual(readJsonStrings(writeJson(['x', 'y']), 't.c'), ['x', 'y']);
  assert.equal(writeJson(undefined), 'null');
});

it('names the column when stored JSON is damaged or of the wrong shape', () => {
  const named = (column: string) => (e: unknown) =>
    e instanceof StoredJsonError && e.message.includes(column);
  assert.throws(() => readJsonObject('{oops', 'users.aliases'), named('users.aliases'));
  assert.throws(() => readJsonObject('[1]', 'groups.policy'), named('groups.policy'));
  assert.throws(() => readJsonStrings('["a", 1]', 'users.groups'), named('users.groups'));
});
