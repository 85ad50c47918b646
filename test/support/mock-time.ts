// Drives waits under node:test's mocked setTimeout: fires the periodic re-reads until a promise settles, or gives up.
import { mock } from 'node:test';

/**
 * Ticks mocked timers `stepMs` at a time (letting I/O run in between) until `promise` settles; returns whether it
 * did within `maxTicks`. Real time plays no part: a wait that ends here ended on the manual clock or the bus.
 */
export async function tickUntilSettled(
  promise: Promise<unknown>,
  { stepMs, maxTicks = 20 }: { stepMs: number; maxTicks?: number },
): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let tick = 0; tick < maxTicks && !settled; tick++) {
    // setImmediate is not mocked: the waiter's reads and writes complete between ticks.
    for (let turn = 0; turn < 20 && !settled; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (!settled) mock.timers.tick(stepMs);
  }
  for (let turn = 0; turn < 20 && !settled; turn++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
