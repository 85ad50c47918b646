// Issue 9.7: /metrics stays off the public listener: its own loopback listener, or the main one behind a bearer token.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, environment, startServe, stopServe } from '../support/serve-process.ts';
import { startTestServer } from '../support/server.ts';

const TOKEN = 'scrape-me-0123456789abcdef';

/** Status of GET /metrics at `base` with `authorization` (none when undefined). */
async function metricsStatus(base: string, authorization?: string): Promise<number> {
  const response = await fetch(`${base}/metrics`, {
    ...(authorization !== undefined && { headers: { authorization } }),
  });
  await response.arrayBuffer();
  return response.status;
}

test('issue 9.7: without metrics.token, /metrics is not on the main listener (404, with or without a token)', async () => {
  const server = await startTestServer();
  try {
    assert.equal(await metricsStatus(server.url), 404);
    assert.equal(await metricsStatus(server.url, `Bearer ${TOKEN}`), 404);
    assert.equal(
      (await fetch(`${server.url}/healthz`)).status,
      200,
      'health checks stay on the main listener',
    );
  } finally {
    await server.close();
  }
});

test('issue 9.7: with metrics.token, the main listener serves /metrics to that bearer token only', async () => {
  const server = await startTestServer({ config: { 'metrics.token': TOKEN } });
  try {
    for (const wrong of [
      undefined,
      'Bearer ',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      assert.equal(await metricsStatus(server.url, wrong), 404, `Authorization: ${wrong}`);
    }
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /countersign_process_resident_memory_bytes/);
    // RFC 7235 §2.1: the scheme is case-insensitive.
    assert.equal(await metricsStatus(server.url, `bearer ${TOKEN}`), 200);
  } finally {
    await server.close();
  }
});

test('issue 9.7: `countersign serve` serves /metrics on its own loopback listener, and closes it on SIGTERM', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-metrics-'));
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
  });
  try {
    await cli(env, ['init']);
    const node = await startServe(env);
    let exit: number | null = null;
    try {
      const metricsUrl = node.announced.metricsUrl;
      assert.equal(typeof metricsUrl, 'string', `announced: ${JSON.stringify(node.announced)}`);
      const listener = new URL(String(metricsUrl));
      assert.equal(listener.hostname, '127.0.0.1');
      assert.notEqual(listener.port, new URL(node.url).port);
      await fetch(`${node.url}/auth/v2/ping`);
      const response = await fetch(listener);
      assert.equal(response.status, 200);
      assert.match(
        await response.text(),
        /countersign_http_requests_total\{method="GET",route="\/auth\/v2\/ping",status="200"\} 1/,
        'the listener reports the main listener traffic',
      );
      assert.equal(await metricsStatus(node.url), 404, 'not on the main listener');
      exit = await stopServe(node);
      await assert.rejects(fetch(listener), 'the metrics listener is closed on shutdown');
    } finally {
      if (exit === null) node.process.kill('SIGKILL');
    }
    assert.equal(exit, 0, node.stderr());
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
