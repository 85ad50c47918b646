// (e) Admin API list endpoints on 100,000 users and 1,000,000 authentication-log rows, SQLite and PostgreSQL:
// the server time of a user search, a deep user page, the authentication log, and the console's dashboard and
// rollout (issue 12), against 200 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedAdmin } from '../../scripts/seed-admin.ts';
import { buildSignedRequest } from '../../src/client/sign-request.ts';
import { createTransport, type OutgoingRequest, type Transport } from '../../src/client/transport.ts';
import { createTestDatabase, type TestDatabase } from '../../test/store/pg-test-database.ts';
import { BenchFailure, type BenchSuite, compare, type Log, type Measurement } from '../suite.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { percentile } from '../support/percentile.ts';
import { initDataDir, REPOSITORY } from '../support/provision.ts';

const USERS = 100_000;
const AUTHLOGS = 1_000_000;
const DAYS = 30;
const TARGET_MS = 200;
/** Fewest samples per endpoint, however short `--seconds` is. */
const MIN_SAMPLES = 50;

/** The PostgreSQL server to create a bench database on: COUNTERSIGN_BENCH_PG, else COUNTERSIGN_TEST_PG. */
function pgServerUrl(): string | undefined {
  const url = process.env.COUNTERSIGN_BENCH_PG || process.env.COUNTERSIGN_TEST_PG;
  return url === '' ? undefined : url;
}

/** One endpoint as the bench calls it: requests signed up front (GETs may repeat) and a check of each answer. */
interface Endpoint {
  label: string;
  requests: OutgoingRequest[];
  check: (body: Record<string, unknown>) => string | null;
}

function signed(
  server: ChildServer,
  keys: { ikey: string; skey: string },
  path: string,
  params: Record<string, string>,
) {
  const request = buildSignedRequest({
    method: 'GET',
    host: server.url.host,
    path,
    params,
    ...keys,
    signatureVersion: 2,
    // Duo signatures stay valid ±5 minutes: a run of a few minutes reuses them.
    date: new Date().toUTCString(),
  });
  return { method: 'GET', target: request.target, headers: request.headers, body: Buffer.alloc(0) };
}

function endpoints(
  server: ChildServer,
  keys: { ikey: string; skey: string },
  username: (i: number) => string,
): Endpoint[] {
  const now = Date.now();
  const list = (body: Record<string, unknown>) => (Array.isArray(body.response) ? body.response : []);
  const authlog = (label: string, mintime: number): Endpoint => ({
    label,
    requests: [
      signed(server, keys, '/admin/v2/logs/authentication', {
        mintime: String(mintime),
        maxtime: String(now),
      }),
    ],
    check: (body) => {
      const { authlogs, metadata } = body.response as {
        authlogs: unknown[];
        metadata: { total_objects: number };
      };
      return authlogs.length === 100 && metadata.total_objects > 100 ? null : `${authlogs.length} records`;
    },
  });
  const dashboard = (days: number): Endpoint => ({
    label: `GET /admin/v1/countersign/dashboard?days=${days}`,
    requests: [signed(server, keys, '/admin/v1/countersign/dashboard', { days: String(days) })],
    check: (body) => {
      const { sign_ins: days_ } = body.response as { sign_ins: Array<{ allow: number; deny: number }> };
      const total = days_.reduce((sum, day) => sum + day.allow + day.deny, 0);
      return days_.length === days && total > 0 ? null : `${days_.length} days, ${total} sign-ins`;
    },
  });
  return [
    {
      label: 'GET /admin/v1/users?username=…',
      // A different user each time, spread over the whole table.
      requests: Array.from({ length: 200 }, (_, i) =>
        signed(server, keys, '/admin/v1/users', { username: username((i * 7919) % USERS) }),
      ),
      check: (body) => (list(body).length === 1 ? null : `${list(body).length} users`),
    },
    {
      label: 'GET /admin/v1/users?limit=100&offset=50000',
      requests: [signed(server, keys, '/admin/v1/users', { limit: '100', offset: '50000' })],
      check: (body) => (list(body).length === 100 ? null : `${list(body).length} users`),
    },
    // The Python client's default window (the last 24 hours: about 33,000 rows), then all 30 days (1,000,000).
    authlog('GET /admin/v2/logs/authentication (last 24 h)', now - 86_400_000),
    authlog('GET /admin/v2/logs/authentication (all 30 days)', now - DAYS * 86_400_000 - 1),
    // The console's dashboard and rollout screen (issue 12): counts over the whole log and every user.
    dashboard(14),
    dashboard(DAYS),
    {
      label: 'GET /admin/v1/countersign/rollout',
      requests: [signed(server, keys, '/admin/v1/countersign/rollout', {})],
      check: (body) => {
        const rows = list(body) as Array<{ users_total: number }>;
        return rows.length > 0 && rows[0]!.users_total === USERS
          ? null
          : `${JSON.stringify(rows).slice(0, 100)}`;
      },
    },
    {
      label: 'GET /admin/v1/countersign/rollout/{key}/not_enrolled?offset=50000',
      requests: [
        signed(server, keys, `/admin/v1/countersign/rollout/${keys.ikey}/not_enrolled`, {
          limit: '100',
          offset: '50000',
        }),
      ],
      check: (body) => (list(body).length === 100 ? null : `${list(body).length} users`),
    },
  ];
}

const HEALTHZ: OutgoingRequest = { method: 'GET', target: '/healthz', headers: {}, body: Buffer.alloc(0) };

/** The median round trip of an empty route: the loopback and HTTP cost subtracted from each timing. */
async function loopbackMs(transport: Transport): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    const answer = await transport.send(HEALTHZ);
    if (answer.status !== 200) throw new BenchFailure(`GET /healthz answered ${answer.status}`);
    if (i >= 50) samples.push(performance.now() - start);
  }
  return percentile(samples, 50);
}

/** Sends `endpoint`'s requests one at a time for `seconds` (at least MIN_SAMPLES); every answer must be right. */
async function time(
  transport: Transport,
  endpoint: Endpoint,
  seconds: number,
  loopback: number,
): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || samples.length < MIN_SAMPLES; i++) {
    const request = endpoint.requests[i % endpoint.requests.length]!;
    const start = performance.now();
    const answer = await transport.send(request);
    const elapsed = performance.now() - start;
    const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    const wrong =
      answer.status === 200 && body.stat === 'OK' ? endpoint.check(body) : `HTTP ${answer.status}`;
    if (wrong !== null) {
      throw new BenchFailure(
        `${endpoint.label}: wrong answer (${wrong}): ${answer.body.toString('utf8').slice(0, 300)}`,
      );
    }
    samples.push(Math.max(0, elapsed - loopback));
  }
  return samples;
}

interface Figure {
  label: string;
  p50: number;
  p99: number;
  samples: number;
}

/** Seeds a database, serves it and times every endpoint on it. */
async function measureOn(
  database: 'SQLite' | 'PostgreSQL',
  databaseUrl: string | undefined,
  options: { seconds: number; warmupSeconds: number; log: Log },
): Promise<Figure[]> {
  const log = (line: string) => options.log(`${database}: ${line}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-admin-'));
  let server: ChildServer | undefined;
  try {
    await initDataDir(dataDir);
    const seedStart = Date.now();
    const seeded = await seedAdmin({
      dataDir,
      ...(databaseUrl !== undefined && { databaseUrl }),
      users: USERS,
      authlogs: AUTHLOGS,
      days: DAYS,
      now: Date.now(),
      log: (line) => log(`seeding ${line}`),
    });
    log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);
    server = await startChildServer({
      args: ['bin/countersign.js', 'serve', '--json', '--data-dir', dataDir, '--port', '0'],
      cwd: REPOSITORY,
      env: {
        ...process.env,
        COUNTERSIGN_LOG_LEVEL: 'warn',
        COUNTERSIGN_HTTP_HOST: '127.0.0.1',
        COUNTERSIGN_RADIUS_PORT: '0',
        COUNTERSIGN_METRICS_PORT: '0',
        ...(databaseUrl !== undefined && { COUNTERSIGN_DATABASE_URL: databaseUrl }),
      },
    });
    const transport = createTransport(server.url);
    const loopback = await loopbackMs(transport);
    log(`loopback (GET /healthz median, subtracted): ${loopback.toFixed(2)} ms`);
    const figures: Figure[] = [];
    const list = endpoints(server, seeded, seeded.username);
    for (const endpoint of list) {
      await time(transport, endpoint, options.warmupSeconds / list.length, loopback);
      const samples = await time(transport, endpoint, options.seconds / list.length, loopback);
      const figure = {
        label: endpoint.label,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        samples: samples.length,
      };
      figures.push(figure);
      log(
        `${figure.label}: p50 ${figure.p50.toFixed(1)} ms, p99 ${figure.p99.toFixed(1)} ms, max ${percentile(samples, 100).toFixed(1)} ms (n=${figure.samples}); p99 vs ${TARGET_MS} ms target: ${(TARGET_MS / Math.max(figure.p99, 1e-3)).toFixed(2)}×`,
      );
    }
    return figures;
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'admin-api',
  summary: `Admin API list endpoints on ${USERS.toLocaleString('en-US')} users and ${AUTHLOGS.toLocaleString('en-US')} log rows: worst p99 server time vs ${TARGET_MS} ms, as ${TARGET_MS}/p99`,
  target: 1,
  async run(options) {
    const figures = await measureOn('SQLite', undefined, options);
    const pgServer = pgServerUrl();
    if (pgServer === undefined) {
      options.log('PostgreSQL: skipped (set COUNTERSIGN_BENCH_PG or COUNTERSIGN_TEST_PG to a server URL)');
    } else {
      let database: TestDatabase | undefined;
      try {
        database = await createTestDatabase(pgServer);
        figures.push(...(await measureOn('PostgreSQL', database.url, options)));
      } finally {
        await database?.drop();
      }
    }
    const worst = Math.max(...figures.map((figure) => figure.p99));
    const samples = figures.reduce((sum, figure) => sum + figure.samples, 0);
    const raw = Object.fromEntries(figures.map((figure, i) => [`p99 ms #${i + 1}`, figure.p99]));
    const asRate = (label: string, p99: number, operations: number): Measurement => ({
      label,
      perSecond: 1000 / Math.max(p99, 1e-3),
      operations,
      seconds: options.seconds,
      raw: operations === 0 ? {} : raw,
    });
    return compare(
      this.name,
      this.target,
      asRate(`worst p99 ${worst.toFixed(1)} ms (as 1000/p99)`, worst, samples),
      asRate(`target p99 ${TARGET_MS} ms (as 1000/p99)`, TARGET_MS, 0),
    );
  },
};
