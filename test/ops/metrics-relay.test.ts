// Issue 14: the metrics relay between serve workers and their primary, on a cluster of two small workers
// (metrics-relay-worker.ts): a scrape through either worker is the sum over both, and while the primary does not
// have all of them running it fails with METRICS_UNAVAILABLE instead of answering part of the server.
import assert from 'node:assert/strict';
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { answerWorkersScrapes } from '../../src/fronts/ops/metrics-relay.ts';

/** Asks `worker` to scrape through the primary; resolves with what it reported. */
async function scrapeVia(worker: Worker): Promise<{ scraped?: string; failed?: string }> {
  const reported = new Promise<{ scraped?: string; failed?: string }>((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null) return;
      if (!('scraped' in message) && !('failed' in message)) return;
      worker.off('message', onMessage);
      resolve(message as { scraped?: string; failed?: string });
    };
    worker.on('message', onMessage);
  });
  worker.send('scrape');
  return reported;
}

test('issue 14: a scrape through either worker sums both; while not all run, it fails rather than answer part', async () => {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./metrics-relay-worker.ts', import.meta.url)) });
  let allRunning = false;
  const stopAnswering = answerWorkersScrapes(() => allRunning);
  const counts = [3, 4];
  const workers = counts.map((count) => cluster.fork({ RELAY_TEST_COUNT: String(count) }));
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    assert.deepEqual(await scrapeVia(workers[0]!), {
      failed: 'METRICS_UNAVAILABLE: not every serve worker is running',
    });
    allRunning = true;
    for (const [index, worker] of workers.entries()) {
      const { scraped, failed } = await scrapeVia(worker);
      assert.equal(failed, undefined, `worker ${index}`);
      assert.match(
        scraped ?? '',
        new RegExp(`^relay_test_total ${counts[0]! + counts[1]!}$`, 'm'),
        `worker ${index}`,
      );
    }
  } finally {
    stopAnswering();
    for (const worker of workers) {
      const exited = once(worker, 'exit');
      worker.kill();
      await exited;
    }
  }
});
