// The closed loop keeps N operations in flight until the (fake) clock passes the deadline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closedLoop } from './closed-loop.ts';

test('keeps inFlight operations running and counts right and wrong answers', async () => {
  let now = 0;
  let running = 0;
  let most = 0;
  const outcome = await closedLoop({
    inFlight: 3,
    seconds: 1,
    timer: { now: () => now },
    operation: async (index) => {
      // Each start moves the frozen clock 10 ms, so exactly 100 operations start before the 1 s deadline.
      now += 10;
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      running--;
      return index % 4 !== 0;
    },
  });
  assert.equal(most, 3);
  assert.equal(outcome.right + outcome.wrong, 100);
  assert.equal(outcome.wrong, 25);
  assert.equal(outcome.seconds, 1);
});
