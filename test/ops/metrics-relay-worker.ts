// A cluster worker for metrics-relay.test.ts: counts RELAY_TEST_COUNT in a registry of its own, joins the relay,
// and scrapes through the primary whenever the primary asks, reporting the text or the error it got.
import { Counter, Registry } from 'prom-client';
import { scrapeThroughPrimary } from '../../src/fronts/ops/metrics-relay.ts';

const registry = new Registry();
new Counter({ name: 'relay_test_total', help: 'Counted by each worker.', registers: [registry] }).inc(
  Number(process.env.RELAY_TEST_COUNT),
);
const scrape = scrapeThroughPrimary(registry);
process.on('message', (message: unknown) => {
  if (message !== 'scrape') return;
  scrape().then(
    (text) => process.send?.({ scraped: text }),
    (error: { code?: string; detail?: string }) =>
      process.send?.({ failed: `${error.code}: ${error.detail}` }),
  );
});
process.send?.('ready');
