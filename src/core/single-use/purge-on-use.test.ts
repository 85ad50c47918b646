import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock } from '../clock.ts';
import { purgeOnUse } from './purge-on-use.ts';

test('purges on the first use, then at most once a minute, with the grace taken off the cut-off', async () => {
  const clock = manualClock(1_000_000);
  const cutOffs: number[] = [];
  const maybePurge = purgeOnUse(
    clock,
    async (before) => {
      cutOffs.push(before);
      return 0;
    },
    5_000,
  );
  await maybePurge();
  await maybePurge();
  clock.advance(59_999);
  await maybePurge();
  clock.advance(1);
  await Promise.all([maybePurge(), maybePurge(), maybePurge()]);
  assert.deepEqual(cutOffs, [995_000, 1_055_000]);
});
