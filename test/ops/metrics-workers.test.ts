// Issue 14: with `workers` = 2 the cluster spreads connections over both processes; a scrape, whichever worker
// takes it, answers the whole server's figures (the sum over the workers), on the metrics listener and on the main
// listener behind the token alike.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, environment, startServe, stopServe } from '../support/serve-process.ts';

const TOKEN = 'scrape-me-0123456789abcdef';
const PINGS = 40;
const SCRAPES = 6;

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/**
 * GET `url` on a connection of its own (no keep-alive agent): node:cluster hands each new connection to the next
 * worker, so consecutive requests reach both of them.
 */
function getOnNewConnection(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** The value of the sample line `sample` (name and labels, exactly as exposed) in `exposition`, or undefined. */
function sampleValue(exposition: string, sample: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

test('issue 14: every scrape of a two-worker server shows the requests of both workers', {
  timeout: 300_000,
}, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-metrics-workers-'));
  dirs.push(dataDir);
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    COUNTERSIGN_WORKERS: '2',
    COUNTERSIGN_METRICS_TOKEN: TOKEN,
  });
  await cli(env, ['init']);
  const server = await startServe(env);
  try {
    for (let i = 0; i < PINGS; i++) {
      assert.equal((await getOnNewConnection(`${server.url}/auth/v2/ping`)).status, 200);
    }
    // Scrapes count on neither route below: the listener's own are not counted at all, the main listener's
    // under route="/metrics".
    const scrapes = [
      ...Array.from({ length: SCRAPES }, () => ({ url: String(server.announced.metricsUrl), headers: {} })),
      ...Array.from({ length: SCRAPES }, () => ({
        url: `${server.url}/metrics`,
        headers: { authorization: `Bearer ${TOKEN}` },
      })),
    ];
    for (const [index, { url, headers }] of scrapes.entries()) {
      const { status, body } = await getOnNewConnection(url, headers);
      assert.equal(status, 200, `scrape ${index} of ${url}: ${body}`);
      assert.equal(
        sampleValue(body, 'countersign_http_requests_total{method="GET",route="/auth/v2/ping",status="200"}'),
        PINGS,
        `scrape ${index} of ${url} counts every ping`,
      );
      assert.equal(
        sampleValue(
          body,
          'countersign_http_request_duration_seconds_count{method="GET",route="/auth/v2/ping"}',
        ),
        PINGS,
        `scrape ${index} of ${url} times every ping`,
      );
    }
  } finally {
    assert.equal(await stopServe(server), 0, server.stderr());
  }
});
