// The record of answered auth_status versions: per instance, bounded, oldest forgotten first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answeredVersions } from './answered-versions.ts';

test('remembers the last version answered per transaction, separately for each record', () => {
  const one = answeredVersions();
  const other = answeredVersions();
  one.remember('tx-1', 3);
  assert.equal(one.answered('tx-1', 3), true);
  assert.equal(one.answered('tx-1', 2), false);
  assert.equal(other.answered('tx-1', 3), false, 'another server has answered nothing');
  one.remember('tx-1', 4);
  assert.equal(one.answered('tx-1', 3), false);
  assert.equal(one.answered('tx-1', 4), true);
});

test('keeps at most `limit` transactions, forgetting the least recently answered', () => {
  const record = answeredVersions(2);
  record.remember('a', 1);
  record.remember('b', 1);
  record.remember('a', 2); // a is now the newest
  record.remember('c', 1);
  assert.equal(record.answered('b', 1), false, 'b was the oldest answer');
  assert.equal(record.answered('a', 2), true);
  assert.equal(record.answered('c', 1), true);
});
