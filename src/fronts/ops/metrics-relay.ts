// With `workers` > 1 each serve worker counts only what it answered, and a scrape reaches whichever worker accepted
// the connection. This relay makes every scrape answer the whole server: the worker asks the primary, which gathers
// every worker's registry through prom-client's AggregatorRegistry (sums, or the aggregator a default metric names)
// and sends back the text. A scrape the primary cannot complete fails: a sum over some workers would look whole.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { CountersignError } from '../../core/errors.ts';

/** Longer than prom-client's own 5 s wait for the workers, so the primary's reason normally arrives first. */
const REPLY_TIMEOUT_MS = 7_000;

interface ScrapeRequest {
  countersignScrape: number;
}

type ScrapeReply = { countersignScraped: number } & ({ text: string } | { error: string });

function isScrapeRequest(message: unknown): message is ScrapeRequest {
  return typeof message === 'object' && message !== null && 'countersignScrape' in message;
}

function isScrapeReply(message: unknown): message is ScrapeReply {
  return typeof message === 'object' && message !== null && 'countersignScraped' in message;
}

/**
 * In a serve worker: puts `registry` in the cluster's sum and returns what a scrape answers, the sum the primary
 * gathers. Call once per process (prom-client keeps one list of registries per process).
 */
export function scrapeThroughPrimary(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries(registry);
  // Constructing one installs prom-client's worker-side listener, which answers the primary with `registry`.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isScrapeReply(message)) return;
    const waiting = pending.get(message.countersignScraped);
    if (!waiting) return;
    if ('text' in message) waiting.resolve(message.text);
    else waiting.reject(new CountersignError('METRICS_UNAVAILABLE', message.error));
  });
  return () => {
    const id = nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          settle.reject(new CountersignError('METRICS_UNAVAILABLE', 'the primary process did not answer')),
        REPLY_TIMEOUT_MS,
      );
      timer.unref();
      const settle = {
        resolve: (text: string) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(text);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          pending.delete(id);
          reject(error);
        },
      };
      pending.set(id, settle);
      if (!process.send || !process.connected) {
        settle.reject(new CountersignError('METRICS_UNAVAILABLE', 'not connected to the primary process'));
        return;
      }
      process.send({ countersignScrape: id } satisfies ScrapeRequest, undefined, {}, (error) => {
        if (error) settle.reject(new CountersignError('METRICS_UNAVAILABLE', error.message));
      });
    });
  };
}

/**
 * In the primary: answers the workers' scrape requests with the sum over all of them, or with an error while
 * `allRunning()` is false (starting, stopping, a worker gone). Returns a function that stops answering.
 */
export function answerWorkersScrapes(allRunning: () => boolean): () => void {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: Worker, message: unknown) => {
    if (!isScrapeRequest(message)) return;
    const id = message.countersignScrape;
    const answered = allRunning()
      ? aggregator.clusterMetrics().then(
          (text): ScrapeReply => ({ countersignScraped: id, text }),
          (error: Error): ScrapeReply => ({
            countersignScraped: id,
            error: `gathering the workers' metrics: ${error.message}`,
          }),
        )
      : Promise.resolve<ScrapeReply>({ countersignScraped: id, error: 'not every serve worker is running' });
    void answered.then((reply) => {
      // The asking worker may have exited meanwhile; it has nobody to answer then.
      if (worker.isConnected()) worker.send(reply, undefined, () => {});
    });
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
