// Operations endpoints and proxy handling, through real HTTP.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { createHttpServer } from '../../src/server.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const METRICS_TOKEN = 'operations-test-token';

before(async () => {
  server = await startTestServer({
    config: { 'http.trusted_proxies': ['127.0.0.1'], 'metrics.token': METRICS_TOKEN },
  });
});
after(() => server.close());

test('/healthz answers while the process runs', async () => {
  const response = await fetch(`${server.url}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('/readyz says ready when the database answers', async () => {
  const response = await fetch(`${server.url}/readyz`);
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { database: boolean }).database, true);
});

test('/metrics is Prometheus text with HTTP counters for the routes served', async () => {
  await fetch(`${server.url}/auth/v2/ping`);
  const response = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
  const text = await response.text();
  assert.match(
    text,
    /countersign_http_requests_total\{method="GET",route="\/auth\/v2\/ping",status="200"\} [1-9]/,
  );
  assert.match(text, /countersign_process_resident_memory_bytes/);
});

test("a trusted proxy's X-Forwarded-For becomes the client address", async () => {
  // A second, not yet listening, server on the same configuration, with a route that shows the client address.
  const probe = createHttpServer(server.countersign, { logger: false });
  probe.fastify.get('/test-ip', async (request) => ({ ip: request.ip }));
  const forwarded = await probe.fastify.inject({
    method: 'GET',
    url: '/test-ip',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': '203.0.113.9' },
  });
  assert.equal(forwarded.json().ip, '203.0.113.9');
  const untrusted = await probe.fastify.inject({
    method: 'GET',
    url: '/test-ip',
    remoteAddress: '198.51.100.1',
    headers: { 'x-forwarded-for': '203.0.113.9' },
  });
  assert.equal(untrusted.json().ip, '198.51.100.1');
  await probe.fastify.close();
});

test('issue 15: /readyz turns 503 once shutdown starts, so load balancers stop sending logins', async () => {
  const other = await startTestServer();
  try {
    const before = await other.http.fastify.inject({ method: 'GET', url: '/readyz' });
    assert.equal(before.statusCode, 200);
    const closing = other.http.close();
    // Injected in the same tick as close() (the callback form dispatches at once): shutdown has begun, Fastify
    // has not yet refused new requests, so the answer is readyz's own, and it must be given.
    const during = await new Promise<{ statusCode: number; json(): unknown }>((resolve, reject) =>
      other.http.fastify.inject({ method: 'GET', url: '/readyz' }, (error, response) =>
        error || !response ? reject(error) : resolve(response),
      ),
    );
    await closing;
    assert.equal(during.statusCode, 503);
    assert.deepEqual(during.json(), { status: 'not ready', database: true, accepting: false });
  } finally {
    await other.countersign.close();
    await rm(other.countersign.config.data_dir, { recursive: true, force: true });
  }
});
