// (a) Auth API passcode logins per second on SQLite (or PostgreSQL with --pg), against a bare Fastify route in the same kind of process; and
// what the login rate limits themselves cost (limits on ÷ off).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '../../test/store/pg-test-database.ts';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type BenchSuite, compare, type Measurement, type RunOptions } from '../suite.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { httpSide } from '../support/http-load.ts';
import { halfOptions, measureProtocolFloor, PROTOCOL_FLOOR } from '../support/protocol-floor.ts';
import { initDataDir, type Provisioned, provision, REPOSITORY } from '../support/provision.ts';
import { CPU_PER_ANSWER, measureInRounds, type Side } from '../support/rounds.ts';
import {
  checkSigner,
  type PreparedRequest,
  passcodeSigner,
  signPasscodeRequest,
} from '../support/sign-requests.ts';

/** Enough that no user nears the default 20 logins a minute, even where the limits are on (see README). */
const USERS = 4_000;
export const CONNECTIONS = 32;
const PIPELINING = 1;

/** The load test's configuration: one client logging thousands of users in per second is not an attack. */
export const NO_LIMITS_TOML = '[limits]\nlogins_per_user_per_minute = 0\nlogins_per_address_per_minute = 0\n';

export const isAllow = (body: string) => body.includes('"result":"allow"');

/** Sends one new request before the load starts, so a broken setup fails with the server's own words. */
export async function checkOne(server: ChildServer, request: PreparedRequest): Promise<void> {
  const response = await fetch(new URL(request.path, server.url), {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const body = await response.text();
  if (response.status !== 200 || !isAllow(body)) {
    throw new BenchFailure(`${server.url.origin}${request.path} answered ${response.status} ${body}`);
  }
}

/** Where the servers keep their data: a data directory, with a PostgreSQL database when `databaseUrl` is set. */
export interface Storage {
  dataDir: string;
  databaseUrl?: string;
}

/** `countersign serve` with `workers` processes on provisioned storage, logging warnings only; `env` adds to its environment. */
export function startCountersign(
  storage: Storage,
  workers: number,
  configFile?: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildServer> {
  return startChildServer({
    args: [
      'bin/countersign.js',
      'serve',
      '--json',
      '--data-dir',
      storage.dataDir,
      ...(configFile ? ['--config', configFile] : []),
      '--port',
      '0',
    ],
    cwd: REPOSITORY,
    // Workers start one after the other (the first migrates): on a busy machine that takes a while.
    startTimeoutMs: 60_000 * workers,
    env: {
      ...process.env,
      COUNTERSIGN_LOG_LEVEL: 'warn',
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      // Any port: a RADIUS or metrics listener on its default port would collide with a Countersign already
      // running here.
      COUNTERSIGN_RADIUS_PORT: '0',
      COUNTERSIGN_METRICS_PORT: '0',
      COUNTERSIGN_WORKERS: String(workers),
      ...(storage.databaseUrl !== undefined && { COUNTERSIGN_DATABASE_URL: storage.databaseUrl }),
      ...env,
    },
  });
}

/** A Countersign side: every request signed anew in the load generator (a signed POST /auth is single use). */
function countersignSide(label: string, server: ChildServer, provisioned: Provisioned) {
  const signer = passcodeSigner({ ...provisioned, host: server.url.host, noncePrefix: 'bench-' });
  const side = httpSide({
    label,
    url: server.url,
    requests: { users: provisioned.users, fresh: signer.next },
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    isRight: isAllow,
    serverPid: server.pid,
  });
  return { side, check: () => checkOne(server, signer.next(provisioned.users[0]!)) };
}

/**
 * The bare server's CPU per answer over Countersign's: what the ratio of rates would be if both sides had the
 * machine to themselves, steadier than the rates on a shared machine. Null without CPU figures (not Linux).
 */
function cpuCostRatio(measured: Measurement, limit: Measurement): number | null {
  const mine = measured.raw[CPU_PER_ANSWER];
  const bare = limit.raw[CPU_PER_ANSWER];
  return mine && bare ? bare / mine : null;
}

/**
 * What the protocol alone allows: signed `POST /auth/v2/check` calls to the same server (the signature checked and
 * an answer sent, nothing read about a user, nothing written) ÷ the bare route, in half the rounds. No login,
 * which does all of that and more, can do better than this ratio on the same machine.
 */
async function protocolFloor(
  options: RunOptions,
  server: ChildServer,
  provisioned: Provisioned,
  limit: Side,
): Promise<number> {
  const checks = checkSigner({ ...provisioned, host: server.url.host });
  const protocol = httpSide({
    label: 'Countersign signed /check',
    url: server.url,
    requests: { users: provisioned.users, fresh: checks.next },
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    isRight: (body) => body.startsWith('{"stat":"OK"'),
    serverPid: server.pid,
  });
  return measureProtocolFloor(options, {
    protocol,
    limit,
    describe: 'signed POST /auth/v2/check against the bare route',
    wrong: 'signed checks were not 200 "stat":"OK"',
  });
}

export const suite: BenchSuite = {
  name: 'auth-api',
  summary: `Auth API passcode authentications/s (${USERS.toLocaleString('en-US')} users, rate limits off) ÷ bare Fastify form POST requests/s, as many processes each`,
  target: 0.5,
  async run(options) {
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-'));
    const servers: ChildServer[] = [];
    let database: TestDatabase | undefined;
    try {
      if (options.pg !== null) database = await createTestDatabase(options.pg);
      const where = database ? `PostgreSQL (${new URL(database.url).pathname.slice(1)})` : 'SQLite';
      options.log(
        `${where}, ${options.workers} server process(es) a side; provisioning ${USERS} users with unlimited-use bypass codes in ${dataDir}`,
      );
      const off: Storage = { dataDir: join(dataDir, 'limits-off'), databaseUrl: database?.url };
      // SQLite: a copy of the data directory. PostgreSQL: the same database, which the two servers take turns on.
      const on: Storage = { dataDir: join(dataDir, 'limits-on'), databaseUrl: database?.url };
      await initDataDir(off.dataDir, off.databaseUrl);
      const provisioned = await provision(off.dataDir, USERS, off.databaseUrl);
      // The same users, keys and codes for the server with the default limits.
      await cp(off.dataDir, on.dataDir, { recursive: true });
      const configFile = join(dataDir, 'no-limits.toml');
      await writeFile(configFile, NO_LIMITS_TOML);
      const bare = await startChildServer({
        args: ['bench/support/bare-server.ts', String(options.workers)],
        cwd: REPOSITORY,
      });
      servers.push(bare);
      const offServer = await startCountersign(off, options.workers, configFile);
      servers.push(offServer);
      const onServer = await startCountersign(on, options.workers);
      servers.push(onServer);

      // The bare route checks nothing: it gets the same kind of request, signed once per user and repeated.
      const date = new Date().toUTCString();
      const bareRequests = provisioned.users.map((user, index) =>
        signPasscodeRequest(user, `bench-${index}`, date, { ...provisioned, host: bare.url.host }),
      );
      await checkOne(bare, bareRequests[0]!);
      const limit = httpSide({
        label: 'bare Fastify POST',
        url: bare.url,
        requests: bareRequests,
        connections: CONNECTIONS,
        pipelining: PIPELINING,
        isRight: isAllow,
        serverPid: bare.pid,
      });
      const measured = countersignSide('Countersign passcode auth, limits off', offServer, provisioned);
      const limited = countersignSide('Countersign passcode auth, default limits', onServer, provisioned);
      await measured.check();
      await limited.check();
      options.log(
        `${CONNECTIONS} connections, pipelining ${PIPELINING}; ${options.warmupSeconds} s warm-up each, then ${options.rounds} alternating rounds, ${options.seconds} s per side`,
      );
      const outcome = await measureInRounds(measured.side, limit, { ...options, settleMs: 250, sleep });
      options.log(describeMeasurement(outcome.limit));
      options.log(describeMeasurement(outcome.measured));
      const cpuRatio = cpuCostRatio(outcome.measured, outcome.limit);
      if (cpuRatio !== null) {
        options.log(
          `server CPU per answer: bare ${outcome.limit.raw[CPU_PER_ANSWER]!.toFixed(1)} µs, Countersign ${outcome.measured.raw[CPU_PER_ANSWER]!.toFixed(1)} µs → bare ÷ Countersign ${cpuRatio.toFixed(3)}${database ? " (PostgreSQL's own CPU not counted)" : ''}`,
        );
      }
      if (outcome.wrong > 0) {
        throw new BenchFailure(
          `${outcome.wrong} answers were not 200 with "result":"allow" (warm-up included)`,
        );
      }

      const floor = await protocolFloor(options, offServer, provisioned, limit);

      const half = halfOptions(options);
      options.log(
        `the rate limits' own cost: default limits against limits off, ${half.rounds} alternating rounds, ${half.seconds} s per side`,
      );
      const limits = await measureInRounds(limited.side, measured.side, { ...half, settleMs: 250, sleep });
      options.log(describeMeasurement(limits.limit));
      options.log(describeMeasurement(limits.measured));
      if (limits.wrong > 0) {
        throw new BenchFailure(
          `${limits.wrong} answers with the default limits were not 200 allow: a 429 means a user passed 20 logins a minute (more users needed)`,
        );
      }
      const ratio = limits.measured.perSecond / limits.limit.perSecond;
      options.log(`rate limits on ÷ off: ${ratio.toFixed(3)}`);
      const result = compare(this.name, this.target, outcome.measured, outcome.limit);
      result.measured.raw['with default limits/s'] = limits.measured.perSecond;
      result.measured.raw['limits on ÷ off'] = ratio;
      if (cpuRatio !== null) result.measured.raw['CPU per answer, bare ÷ measured'] = cpuRatio;
      result.measured.raw[PROTOCOL_FLOOR] = floor;
      return result;
    } finally {
      for (const server of servers) await server.stop();
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    }
  },
};
