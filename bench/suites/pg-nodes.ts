// Two `serve` nodes on one PostgreSQL database against one: Auth API passcode logins/s of each, the same load split
// across the two nodes. Adding a node should add throughput (issue 14); the ratio says how much.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '../../test/store/pg-test-database.ts';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, BenchSkipped, type BenchSuite, compare } from '../suite.ts';
import type { ChildServer } from '../support/child-server.ts';
import { httpSide } from '../support/http-load.ts';
import { initDataDir, type Provisioned, provision } from '../support/provision.ts';
import { measureInRounds, mergeRaw, type Side } from '../support/rounds.ts';
import { passcodeSigner } from '../support/sign-requests.ts';
import {
  CONNECTIONS,
  checkOne,
  isAllow,
  NO_LIMITS_TOML,
  type Storage,
  startCountersign,
} from './auth-api.ts';

const USERS = 2_000;

/** Logins signed anew for `server`, on `connections` connections, over `users`. */
function nodeSide(label: string, server: ChildServer, provisioned: Provisioned, connections: number) {
  const signer = passcodeSigner({
    ...provisioned,
    host: server.url.host,
    noncePrefix: `${server.url.port}-`,
  });
  return {
    side: httpSide({
      label,
      url: server.url,
      requests: { users: provisioned.users, fresh: signer.next },
      connections,
      pipelining: 1,
      isRight: isAllow,
    }),
    check: () => checkOne(server, signer.next(provisioned.users[0]!)),
  };
}

/** Several sides loaded at once, counted as one: the right answers of all of them over the same window. */
function together(label: string, sides: Side[]): Side {
  return {
    label,
    async run(seconds) {
      const samples = await Promise.all(sides.map((side) => side.run(seconds)));
      return {
        right: samples.reduce((sum, sample) => sum + sample.right, 0),
        wrong: samples.reduce((sum, sample) => sum + sample.wrong, 0),
        seconds: Math.max(...samples.map((sample) => sample.seconds)),
        raw: mergeRaw(samples),
      };
    },
  };
}

export const suite: BenchSuite = {
  name: 'pg-nodes',
  summary: `Auth API passcode logins/s of two serve nodes on one PostgreSQL database ÷ one node (${USERS.toLocaleString('en-US')} users, rate limits off, ${CONNECTIONS} connections either way)`,
  target: 1.5,
  async run(options) {
    const server = options.pg ?? (process.env.COUNTERSIGN_BENCH_PG || process.env.COUNTERSIGN_TEST_PG);
    if (!server) {
      throw new BenchSkipped(
        'no PostgreSQL server configured: set COUNTERSIGN_BENCH_PG (or COUNTERSIGN_TEST_PG) to its URL to run it',
      );
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-'));
    const servers: ChildServer[] = [];
    let database: TestDatabase | undefined;
    try {
      database = await createTestDatabase(server);
      options.log(
        `PostgreSQL (${new URL(database.url).pathname.slice(1)}); provisioning ${USERS} users with unlimited-use bypass codes`,
      );
      // Three data directories with the same key ring (copies), all on the one database: three nodes.
      const dirs = ['one', 'a', 'b'].map((name) => join(dataDir, name));
      await initDataDir(dirs[0]!, database.url);
      const provisioned = await provision(dirs[0]!, USERS, database.url);
      for (const dir of dirs.slice(1)) await cp(dirs[0]!, dir, { recursive: true });
      const configFile = join(dataDir, 'no-limits.toml');
      await writeFile(configFile, NO_LIMITS_TOML);
      const nodes: ChildServer[] = [];
      for (const dir of dirs) {
        const storage: Storage = { dataDir: dir, databaseUrl: database.url };
        const node = await startCountersign(storage, 1, configFile);
        servers.push(node);
        nodes.push(node);
      }
      const [single, a, b] = nodes as [ChildServer, ChildServer, ChildServer];
      // Each node of the pair gets half the users and half the connections: one client population either way.
      const half = Math.floor(USERS / 2);
      const first = { ...provisioned, users: provisioned.users.slice(0, half) };
      const second = { ...provisioned, users: provisioned.users.slice(half) };
      const one = nodeSide('one node', single, provisioned, CONNECTIONS);
      const pairA = nodeSide('node a', a, first, CONNECTIONS / 2);
      const pairB = nodeSide('node b', b, second, CONNECTIONS / 2);
      for (const side of [one, pairA, pairB]) await side.check();
      const two = together('two nodes', [pairA.side, pairB.side]);
      options.log(
        `${CONNECTIONS} connections (16 a node for the pair); ${options.warmupSeconds} s warm-up each, then ${options.rounds} alternating rounds, ${options.seconds} s per side`,
      );
      const outcome = await measureInRounds(two, one.side, { ...options, settleMs: 250, sleep });
      options.log(describeMeasurement(outcome.limit));
      options.log(describeMeasurement(outcome.measured));
      if (outcome.wrong > 0) {
        throw new BenchFailure(
          `${outcome.wrong} answers were not 200 with "result":"allow" (warm-up included)`,
        );
      }
      return compare(this.name, this.target, outcome.measured, outcome.limit);
    } finally {
      for (const node of servers) await node.stop();
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    }
  },
};
