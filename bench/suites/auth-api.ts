// (a) Auth API passcode logins per second on SQLite, against a bare Fastify route in the same kind of process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type BenchSuite, compare } from '../suite.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { httpSide } from '../support/http-load.ts';
import { initDataDir, type Provisioned, provision, REPOSITORY } from '../support/provision.ts';
import { measureInRounds } from '../support/rounds.ts';
import { type PreparedRequest, signPasscodeRequests } from '../support/sign-requests.ts';

const USERS = 1_000;
const CONNECTIONS = 32;
const PIPELINING = 1;

const isAllow = (body: string) => body.includes('"result":"allow"');

/** Signs one request per user for `server`, dated now (Duo signatures stay valid ±5 minutes). */
function requestsFor(server: ChildServer, provisioned: Provisioned): PreparedRequest[] {
  return signPasscodeRequests(provisioned.users, {
    ikey: provisioned.ikey,
    skey: provisioned.skey,
    host: server.url.host,
    date: new Date().toUTCString(),
  });
}

/** Sends one request before the load starts, so a broken setup fails with the server's own words. */
async function checkOne(server: ChildServer, request: PreparedRequest): Promise<void> {
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

/** `countersign serve` on the provisioned data directory, SQLite, logging warnings only. */
function startCountersign(dataDir: string): Promise<ChildServer> {
  return startChildServer({
    args: ['bin/countersign.js', 'serve', '--json', '--data-dir', dataDir, '--port', '0'],
    cwd: REPOSITORY,
    env: {
      ...process.env,
      COUNTERSIGN_LOG_LEVEL: 'warn',
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      // Any port: a RADIUS or metrics listener on its default port would collide with a Countersign already
      // running here.
      COUNTERSIGN_RADIUS_PORT: '0',
      COUNTERSIGN_METRICS_PORT: '0',
    },
  });
}

export const suite: BenchSuite = {
  name: 'auth-api',
  summary: 'Auth API passcode authentications/s (SQLite, 1,000 users) ÷ bare Fastify form POST requests/s',
  target: 0.5,
  async run(options) {
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-'));
    const servers: ChildServer[] = [];
    try {
      options.log(`provisioning ${USERS} users with unlimited-use bypass codes in ${dataDir}`);
      await initDataDir(dataDir);
      const provisioned = await provision(dataDir, USERS);
      const bare = await startChildServer({ args: ['bench/support/bare-server.ts'], cwd: REPOSITORY });
      servers.push(bare);
      const countersign = await startCountersign(dataDir);
      servers.push(countersign);
      // Signed after both servers are up: the measurement must end within the ±5 minute signature window.
      const side = (label: string, server: ChildServer) => {
        const requests = requestsFor(server, provisioned);
        return {
          requests,
          side: httpSide({
            label,
            url: server.url,
            requests,
            connections: CONNECTIONS,
            pipelining: PIPELINING,
            isRight: isAllow,
          }),
        };
      };
      const limit = side('bare Fastify POST', bare);
      const measured = side('Countersign passcode auth', countersign);
      await checkOne(bare, limit.requests[0]!);
      await checkOne(countersign, measured.requests[0]!);
      options.log(
        `${CONNECTIONS} connections, pipelining ${PIPELINING}; ${options.warmupSeconds} s warm-up each, then ${options.rounds} alternating rounds, ${options.seconds} s per side`,
      );
      const outcome = await measureInRounds(measured.side, limit.side, { ...options, settleMs: 250, sleep });
      options.log(describeMeasurement(outcome.limit));
      options.log(describeMeasurement(outcome.measured));
      if (outcome.wrong > 0) {
        throw new BenchFailure(
          `${outcome.wrong} answers were not 200 with "result":"allow" (warm-up included)`,
        );
      }
      return compare(this.name, this.target, outcome.measured, outcome.limit);
    } finally {
      for (const server of servers) await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
