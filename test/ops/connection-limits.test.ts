// Issue 9.5: slow requests and connection floods, over real sockets (plain TCP and TLS) on short configured limits.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import { startPushWorld, tapEvents, waitForPending } from '../push/harness.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Short limits, so the tests wait about a second rather than the production defaults. */
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const CHECK_INTERVAL_MS = 100;
/** Slack on top of a limit for a busy machine; without the limit the connection would stay open indefinitely. */
const MARGIN_MS = 4_000;
const SHORT_LIMITS = {
  'http.headers_timeout_ms': HEADERS_TIMEOUT_MS,
  'http.request_timeout_ms': REQUEST_TIMEOUT_MS,
  'http.connections_check_interval_ms': CHECK_INTERVAL_MS,
};

/** The idle-connection floods come from a second loopback address, so 127.0.0.1 stays free for the normal request. */
const FLOOD_ADDRESS = '127.0.0.2';
const FLOOD_SIZE = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A client connection, watched: what it received and whether the server has closed it. */
interface Probe {
  socket: net.Socket;
  received(): string;
  isClosed(): boolean;
  closed: Promise<void>;
}

function watch(socket: net.Socket): Probe {
  let text = '';
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  return { socket, received: () => text, isClosed: () => isClosed, closed };
}

/** Opens a TCP connection (from `localAddress`) and resolves once it is established. */
async function connectTcp(port: number, localAddress = '127.0.0.1'): Promise<Probe> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  const probe = watch(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return probe;
}

/** Opens a TLS connection trusting `caPem` and resolves once the handshake is done. */
async function connectTls(port: number, caPem: string): Promise<Probe> {
  const socket = tls.connect({ host: '127.0.0.1', port, ca: caPem, servername: 'localhost' });
  const probe = watch(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  return probe;
}

/** Writes `text` one byte every CHECK_INTERVAL_MS, until it is all sent or the server closes the connection. */
async function drip(probe: Probe, text: string): Promise<void> {
  for (const byte of text) {
    if (probe.isClosed()) return;
    probe.socket.write(byte);
    await Promise.race([sleep(CHECK_INTERVAL_MS), probe.closed]);
  }
}

/** True when the server closed the connection within `limitMs` (plus the check interval and a margin). */
async function closedWithin(probe: Probe, limitMs: number): Promise<boolean> {
  await Promise.race([probe.closed, sleep(limitMs + CHECK_INTERVAL_MS + MARGIN_MS)]);
  return probe.isClosed();
}

/** A body far longer than a drip can send before the limit: the request never completes on its own. */
const SLOW_BODY_LENGTH = 10_000;
const SLOW_POST_HEAD = `POST /auth/v2/ping HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${SLOW_BODY_LENGTH}\r\n\r\n`;

/** Runs both slow-request attacks against one connection factory. */
function slowRequestTests(scheme: 'http' | 'https', open: () => Promise<Probe>): void {
  test(`issue 9.5: a request body dripping one byte at a time over ${scheme} is cut off at request_timeout_ms`, async () => {
    const probe = await open();
    probe.socket.write(SLOW_POST_HEAD);
    const dripping = drip(probe, 'x'.repeat(SLOW_BODY_LENGTH));
    try {
      assert.ok(
        await closedWithin(probe, REQUEST_TIMEOUT_MS),
        `still open ${REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + MARGIN_MS} ms after the request began`,
      );
      assert.match(probe.received(), /^HTTP\/1\.1 408 /);
    } finally {
      probe.socket.destroy();
      await dripping;
    }
  });

  test(`issue 9.5: request headers dripping one byte at a time over ${scheme} are cut off at headers_timeout_ms`, async () => {
    const probe = await open();
    const dripping = drip(
      probe,
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${'X-Slow: y\r\n'.repeat(1_000)}\r\n`,
    );
    try {
      assert.ok(
        await closedWithin(probe, HEADERS_TIMEOUT_MS),
        `still open ${HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + MARGIN_MS} ms after the first header byte`,
      );
      assert.match(probe.received(), /^HTTP\/1\.1 408 /);
    } finally {
      probe.socket.destroy();
      await dripping;
    }
  });
}

let plain: TestServer;
let secure: TestServer;
let certificates: TestCertificates;

before(async () => {
  certificates = await createTestCertificates();
  plain = await startTestServer({ config: SHORT_LIMITS });
  secure = await startTestServer({
    config: { ...SHORT_LIMITS, 'http.tls_cert': certificates.certFile, 'http.tls_key': certificates.keyFile },
  });
});
after(async () => {
  await plain?.close();
  await secure?.close();
  await certificates?.remove();
});

slowRequestTests('http', () => connectTcp(plain.port));
slowRequestTests('https', () => connectTls(secure.port, certificates.caPem));

test('issue 9.5: a TLS handshake that never starts is cut off at headers_timeout_ms', async () => {
  const probe = await connectTcp(secure.port);
  try {
    assert.ok(
      await closedWithin(probe, HEADERS_TIMEOUT_MS),
      'a silent connection to the TLS port stayed open',
    );
  } finally {
    probe.socket.destroy();
  }
});

/** Opens `count` idle connections from FLOOD_ADDRESS, a few at a time (the listen backlog is finite). */
async function flood(port: number, count: number): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, () => connectTcp(port, FLOOD_ADDRESS));
    probes.push(...(await Promise.all(batch)));
  }
  return probes;
}

/** Resolves once `count` of `probes` are closed; false if that does not happen within the margin. */
async function closedCount(probes: Probe[], count: number): Promise<boolean> {
  const deadline = sleep(MARGIN_MS).then(() => false);
  const enough = new Promise<boolean>((resolve) => {
    let seen = probes.filter((probe) => probe.isClosed()).length;
    if (seen >= count) resolve(true);
    for (const probe of probes)
      void probe.closed.then(() => {
        seen += 1;
        if (seen >= count) resolve(true);
      });
  });
  return Promise.race([enough, deadline]);
}

/** The number of sockets `server`'s listener holds open. */
function serverConnections(server: TestServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.http.fastify.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

/** A server whose idle connections wait for their headers a long time: only a cap closes them during a test. */
async function cappedServer(config: Record<string, unknown>): Promise<TestServer> {
  return startTestServer({
    config: {
      'http.headers_timeout_ms': 60_000,
      'http.request_timeout_ms': 60_000,
      'http.keep_alive_timeout_ms': 60_000,
      ...config,
    },
  });
}

test(`issue 9.5: ${FLOOD_SIZE} idle connections from one address: those past max_connections_per_address are closed at once, others are still served`, async () => {
  const perAddress = 50;
  const server = await cappedServer({ 'http.max_connections_per_address': perAddress });
  let probes: Probe[] = [];
  try {
    probes = await flood(server.port, FLOOD_SIZE);
    assert.ok(
      await closedCount(probes, FLOOD_SIZE - perAddress),
      `only ${probes.filter((probe) => probe.isClosed()).length} of ${FLOOD_SIZE} connections were closed`,
    );
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200, 'another address is still served');
    assert.equal(probes.filter((probe) => !probe.isClosed()).length, perAddress, 'the first ones stay open');
    assert.ok(
      probes.every((probe) => probe.received() === ''),
      'refused connections get no answer',
    );
    const metrics = await server.http.metrics.registry.getSingleMetricAsString(
      'countersign_http_connections_refused_total',
    );
    assert.match(metrics, new RegExp(`reason="per_address"\\} ${FLOOD_SIZE - perAddress}\\b`));
  } finally {
    for (const probe of probes) probe.socket.destroy();
    await server.close();
  }
});

test(`issue 9.5: ${FLOOD_SIZE} idle connections: those past max_connections are closed at once, and the service recovers when they go`, async () => {
  const total = 100;
  const server = await cappedServer({ 'http.max_connections': total, 'http.max_connections_per_address': 0 });
  let probes: Probe[] = [];
  try {
    probes = await flood(server.port, FLOOD_SIZE);
    assert.ok(
      await closedCount(probes, FLOOD_SIZE - total),
      `only ${probes.filter((probe) => probe.isClosed()).length} of ${FLOOD_SIZE} connections were closed`,
    );
    assert.equal(probes.filter((probe) => !probe.isClosed()).length, total);
    await assert.rejects(fetch(`${server.url}/healthz`), 'a full server takes no further connection');
    for (const probe of probes) probe.socket.destroy();
    while ((await serverConnections(server)) > 0) await sleep(10);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  } finally {
    for (const probe of probes) probe.socket.destroy();
    await server.close();
  }
});

test('issue 9.5: a trusted proxy is not held to the per-address cap (its connections carry many clients)', async () => {
  const server = await cappedServer({
    'http.max_connections_per_address': 50,
    'http.trusted_proxies': [FLOOD_ADDRESS],
  });
  let probes: Probe[] = [];
  try {
    probes = await flood(server.port, 200);
    // A request through the last connection proves the server took it (rather than not having looked yet).
    const last = probes.at(-1)!;
    last.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    while (!last.received().includes('\r\n\r\n') && !last.isClosed()) await sleep(10);
    assert.match(last.received(), /^HTTP\/1\.1 200 /);
    assert.equal(probes.filter((probe) => probe.isClosed()).length, 0);
  } finally {
    for (const probe of probes) probe.socket.destroy();
    await server.close();
  }
});

/** Holds a synchronous push and a live channel past the request timeout: on SQLite, or on PostgreSQL at `databaseUrl`. */
async function longPollOutlivesRequestTimeout(databaseUrl?: string): Promise<void> {
  const world = await startPushWorld({
    config: { ...SHORT_LIMITS, ...(databaseUrl !== undefined && { database_url: databaseUrl }) },
  });
  try {
    const { device } = await world.enroll('alice');
    const tap = await tapEvents(device);
    try {
      const held = world.api.call('POST', '/auth/v2/auth', {
        username: 'alice',
        factor: 'push',
        device: 'auto',
      });
      const request = await waitForPending(device);
      // Hold both the /auth request and the live channel well past the request and headers limits.
      await sleep(REQUEST_TIMEOUT_MS + 5 * CHECK_INTERVAL_MS);
      assert.equal(await device.approve(request.txid), 'allow');
      const answer = (await held) as { result: string };
      assert.equal(answer.result, 'allow');
      assert.deepEqual(await tap.next((event) => event.type === 'resolved'), {
        type: 'resolved',
        txid: request.txid,
        state: 'allow',
      });
    } finally {
      await tap.stop();
    }
  } finally {
    await world.close();
  }
}

test('issue 9.5: long polls (a synchronous push, the device live channel) answer after request_timeout_ms (SQLite)', () =>
  longPollOutlivesRequestTimeout());

test('issue 9.5: long polls answer after request_timeout_ms (PostgreSQL: woken through LISTEN/NOTIFY)', {
  skip: testPgUrl() === undefined && PG_SKIP_MESSAGE,
}, async () => {
  const database = await createTestDatabase(testPgUrl()!);
  try {
    await longPollOutlivesRequestTimeout(database.url);
  } finally {
    await database.drop();
  }
});
