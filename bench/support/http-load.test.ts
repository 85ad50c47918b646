// autocannon's window arithmetic and the split of requests between connections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autocannonDuration, sliceFor } from './http-load.ts';

test('asks autocannon for half a second less than the wanted whole seconds', () => {
  assert.equal(autocannonDuration(2), 1.5);
  assert.equal(autocannonDuration(10), 9.5);
  assert.equal(autocannonDuration(0.2), 0.5);
});

test('connections get disjoint slices that cover the requests', () => {
  const requests = Array.from({ length: 10 }, (_, index) => index);
  const slices = [0, 1, 2].map((index) => sliceFor(requests, 3, index));
  assert.deepEqual(slices, [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
  ]);
  assert.deepEqual(sliceFor(requests, 20, 12), [2]);
});
