// (c) RADIUS mfa-only Access-Requests/s with HOTP passcodes ÷ FreeRADIUS PAP (users file), one UDP load generator;
// Countersign is `serve` with `workers = --workers`, FreeRADIUS one process with its thread pool.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { saveRadiusClient } from '../../src/core/admin/radius-clients.ts';
import { newId } from '../../src/core/ids.ts';
import type { Authenticator, User } from '../../src/core/model.ts';
import { generateHotp } from '../../src/crypto/otp/hotp.ts';
import { seal } from '../../src/crypto/secret-box.ts';
import { AttributeType, stringAttribute } from '../../src/fronts/radius/attributes.ts';
import { verifyResponseAuthenticator } from '../../src/fronts/radius/authenticators.ts';
import { PacketCode } from '../../src/fronts/radius/packet.ts';
import { buildAccessRequest } from '../../src/fronts/radius/request.ts';
import { seedContext } from '../../src/methods/totp/totp-method.ts';
import { createTestDatabase } from '../../test/store/pg-test-database.ts';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type BenchSuite, compare } from '../suite.ts';
import type { ChildServer } from '../support/child-server.ts';
import { measureProtocolFloor, PROTOCOL_FLOOR } from '../support/protocol-floor.ts';
import { initDataDir } from '../support/provision.ts';
import { measureInRounds, type Sample, type Side } from '../support/rounds.ts';
import { NO_LIMITS_TOML, startCountersign } from './auth-api.ts';

const USERS = 2_000;
const OUTSTANDING = 64;
const SECRET = 'bench-radius-secret';
const REPLY_TIMEOUT_MS = 5_000;
/** FreeRADIUS's thread pool: it starts this many threads and grows to the maximum under load. */
const FREERADIUS_MIN_THREADS = 8;
const FREERADIUS_MAX_THREADS = 32;
const FREERADIUS_THREADS = `${FREERADIUS_MIN_THREADS} to ${FREERADIUS_MAX_THREADS} threads`;

/** Users with one HOTP token each (sequential codes: any rate, every request a real, accepted login). */
/** The configuration entries that put the store on PostgreSQL (`--pg`), or none for SQLite. */
function databaseEntries(databaseUrl: string | undefined): Record<string, string> {
  return databaseUrl === undefined ? {} : { database_url: databaseUrl };
}

async function provision(dataDir: string, databaseUrl?: string): Promise<Buffer[]> {
  const countersign = await openCountersign(
    buildConfig(undefined, {}, { data_dir: dataDir, ...databaseEntries(databaseUrl) }),
  );
  try {
    const { deps } = countersign;
    const { app } = await createApplication(deps, 'bench', { name: 'bench-radius', type: 'radius' });
    await saveRadiusClient(deps, 'bench', {
      ...{ name: 'bench', address: '127.0.0.1', secret: SECRET, mode: 'mfa-only', applicationId: app.id },
      ...{ delimiter: ',', requireMessageAuthenticator: true, failmode: 'secure', replyAttributes: [] },
    });
    const now = deps.clock.now();
    const seeds = Array.from({ length: USERS }, () => randomBytes(20));
    await deps.store.atomically(async (repos) => {
      for (const [index, seed] of seeds.entries()) {
        const user: User = {
          ...{
            id: newId(deps.random, 'DU'),
            username: `user${index}`,
            aliases: [],
            realName: null,
            email: null,
          },
          ...{
            phone: null,
            groups: [],
            status: 'active',
            passwordHash: null,
            directory: null,
            failedAttempts: 0,
          },
          ...{ lockedAt: null, createdAt: now, lastLoginAt: null, notes: null },
        };
        const id = newId(deps.random, 'D');
        const token: Authenticator = {
          ...{ id, userId: user.id, kind: 'hotp', name: 'Bench token', serial: `B${index}` },
          ...{
            secretSealed: seal(deps.ring, seed, seedContext(id)),
            algorithm: 'sha1',
            digits: 6,
            period: 0,
          },
          ...{ counter: 0, lastUsedStep: null, data: {}, createdAt: now, lastUsedAt: null },
        };
        await repos.users.create(user);
        await repos.authenticators.create(token);
      }
    });
    return seeds;
  } finally {
    await countersign.close();
  }
}

/** A free UDP port on 127.0.0.1 (bound and released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A minimal FreeRADIUS 3 configuration: PAP against a users file, one client, one auth listener. */
function freeradiusConfig(dir: string, port: number): string {
  return `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = ${dir}
raddbdir = ${dir}
radacctdir = ${dir}
name = freeradius
confdir = ${dir}
run_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {
  destination = stderr
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
thread pool {
  start_servers = ${FREERADIUS_MIN_THREADS}
  max_servers = ${FREERADIUS_MAX_THREADS}
  min_spare_servers = 3
  max_spare_servers = 10
  max_requests_per_server = 0
}
client bench {
  ipaddr = 127.0.0.1
  secret = ${SECRET}
  require_message_authenticator = yes
}
modules {
  pap {
    normalise = yes
  }
  files {
    filename = ${dir}/users
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
}
`;
}

/** Throws unless `freeradius` can be run: checked before anything else, so a missing limit is said at once. */
function requireFreeradius(): void {
  const probe = spawnSync('freeradius', ['-v'], { stdio: 'ignore' });
  if (probe.error !== undefined) {
    throw new BenchFailure(
      `FreeRADIUS, the limit this suite measures against, is not installed (${probe.error.message}): apt-get install -y freeradius`,
    );
  }
}

/** Runs `freeradius -f -d <dir>` and waits for "Ready to process requests". */
async function startFreeradius(dir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freeUdpPort();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'radiusd.conf'), freeradiusConfig(dir, port));
  const users = Array.from({ length: USERS }, (_, i) => `user${i} Cleartext-Password := "pass${i}"`);
  await writeFile(join(dir, 'users'), `${users.join('\n')}\n`);
  let child: ChildProcess;
  try {
    child = spawn('freeradius', ['-f', '-d', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new BenchFailure(`freeradius could not start (apt-get install -y freeradius): ${error}`);
  }
  let output = '';
  // 'close' also comes for a process that never started ('exit' does not).
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new BenchFailure(`freeradius not ready in 20 s:\n${output}`)),
      20_000,
    );
    child.once('error', (error) =>
      reject(new BenchFailure(`freeradius: ${error.message} (apt-get install -y freeradius)`)),
    );
    void exited.then(() => reject(new BenchFailure(`freeradius exited:\n${output}`)));
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        output = (output + chunk).slice(-4000);
        if (output.includes('Ready to process requests')) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      child.kill('SIGTERM');
    await exited;
  };
  await ready.catch(async (error) => {
    await stop();
    throw error;
  });
  return { port, stop };
}

interface Slot {
  socket: Socket;
  identifier: number;
  users: number[];
  nextUser: number;
  queue: Array<{ packet: Buffer; authenticator: Buffer }>;
  inFlight: { authenticator: Buffer; sentAt: number } | null;
}

/**
 * The load generator: OUTSTANDING requests in flight, each slot sending its next pre-built Access-Request
 * (with Message-Authenticator) as soon as its reply arrives; a reply counts when it is a valid Access-Accept.
 * With 'status-server' it sends Status-Servers instead (RFC 5997): the protocol's work without a login.
 */
function udpSide(
  label: string,
  port: number,
  password: ((user: number) => string) | 'status-server',
): Side & { close(): void } {
  const sockets = Array.from({ length: Math.ceil(OUTSTANDING / 256) }, () => createSocket('udp4'));
  const slots: Slot[] = Array.from({ length: OUTSTANDING }, (_, index) => ({
    socket: sockets[Math.floor(index / 256)]!,
    identifier: index % 256,
    users: Array.from({ length: Math.ceil(USERS / OUTSTANDING) }, (_, k) => index + k * OUTSTANDING).filter(
      (user) => user < USERS,
    ),
    nextUser: 0,
    queue: [],
    inFlight: null,
  }));
  let expectedRate = 2_000;
  let builtLate = 0;
  const build = (slot: Slot) => {
    const user = slot.users[slot.nextUser++ % slot.users.length]!;
    const authenticator = randomBytes(16);
    const packet =
      password === 'status-server'
        ? buildAccessRequest({
            code: PacketCode.StatusServer,
            identifier: slot.identifier,
            authenticator,
            secret: SECRET,
          })
        : buildAccessRequest({
            identifier: slot.identifier,
            authenticator,
            secret: SECRET,
            password: password(user),
            attributes: [stringAttribute(AttributeType.UserName, `user${user}`)],
          });
    slot.queue.push({ packet, authenticator });
  };
  let onReply: (slot: Slot, reply: Buffer) => void = () => {};
  for (const [socketIndex, socket] of sockets.entries()) {
    socket.bind(0, '127.0.0.1');
    socket.on('message', (reply) => {
      const slot = slots[socketIndex * 256 + reply[1]!];
      if (slot) onReply(slot, reply);
    });
  }
  const send = (slot: Slot) => {
    if (slot.queue.length === 0) {
      builtLate++;
      build(slot);
    }
    const next = slot.queue.shift()!;
    slot.inFlight = { authenticator: next.authenticator, sentAt: performance.now() };
    slot.socket.send(next.packet, port, '127.0.0.1');
  };
  return {
    label,
    async run(seconds): Promise<Sample> {
      // Pre-built outside the measured window: what the last round's rate says this one needs, plus a margin.
      const perSlot = Math.ceil((expectedRate * seconds * 1.3) / OUTSTANDING) + 2;
      for (const slot of slots) while (slot.queue.length < perSlot) build(slot);
      let right = 0;
      let wrong = 0;
      builtLate = 0;
      const start = performance.now();
      const deadline = start + seconds * 1000;
      onReply = (slot, reply) => {
        const inFlight = slot.inFlight;
        if (!inFlight || !verifyResponseAuthenticator(reply, inFlight.authenticator, SECRET)) return;
        slot.inFlight = null;
        if (performance.now() > deadline) return;
        if (reply[0] === 2) right++;
        else wrong++;
        send(slot);
      };
      for (const slot of slots) send(slot);
      while (performance.now() < deadline) {
        await sleep(Math.min(100, Math.max(1, deadline - performance.now())));
        for (const slot of slots) {
          if (slot.inFlight && performance.now() - slot.inFlight.sentAt > REPLY_TIMEOUT_MS) {
            wrong++;
            send(slot);
          }
        }
      }
      // Let the last replies land (uncounted) so the next round starts with every slot idle.
      for (let waited = 0; slots.some((slot) => slot.inFlight) && waited < REPLY_TIMEOUT_MS; waited += 20) {
        await sleep(20);
      }
      for (const slot of slots) slot.inFlight = null;
      const elapsed = (deadline - start) / 1000;
      expectedRate = Math.max(100, right / elapsed);
      return { right, wrong, seconds: elapsed, raw: { 'built during round': builtLate } };
    },
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}

export const suite: BenchSuite = {
  name: 'radius',
  summary: `RADIUS mfa-only HOTP logins/s (${USERS} users, serve with --workers processes) ÷ FreeRADIUS PAP users-file Access-Requests/s (one process, its thread pool)`,
  target: 0.5,
  async run(options) {
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-radius-'));
    const stops: Array<() => Promise<void> | void> = [];
    try {
      requireFreeradius();
      const database = options.pg === null ? undefined : await createTestDatabase(options.pg);
      if (database) stops.push(database.drop);
      const where = database ? `PostgreSQL (${new URL(database.url).pathname.slice(1)})` : 'SQLite';
      options.log(
        `${where}: provisioning ${USERS} users with HOTP tokens and a mfa-only RADIUS client in ${dataDir}`,
      );
      await initDataDir(dataDir, database?.url);
      const seeds = await provision(dataDir, database?.url);
      const freeradius = await startFreeradius(join(dataDir, 'freeradius'));
      stops.push(freeradius.stop);
      // The login rate limits off: one load generator logs each user in about once a second, which the default
      // 20 logins per user per minute would refuse (see bench/README.md).
      const configFile = join(dataDir, 'no-limits.toml');
      await writeFile(configFile, `${NO_LIMITS_TOML}[radius]\nhost = "127.0.0.1"\n`);
      const radiusPort = await freeUdpPort();
      const countersign: ChildServer = await startCountersign(
        { dataDir, ...(database && { databaseUrl: database.url }) },
        options.workers,
        configFile,
        { COUNTERSIGN_RADIUS_PORT: String(radiusPort) },
      );
      stops.push(countersign.stop);
      options.log(
        `Countersign: serve with workers = ${options.workers} (node:cluster, one RADIUS port); FreeRADIUS: one process with its thread pool (${FREERADIUS_THREADS}), the way FreeRADIUS 3 uses several cores (one listener, no process per core)`,
      );
      const counters = new Array<bigint>(USERS).fill(0n);
      const hotp = (user: number) =>
        generateHotp(seeds[user]!, counters[user]!++, { digits: 6, algorithm: 'sha1' });
      const limit = udpSide('FreeRADIUS PAP', freeradius.port, (user) => `pass${user}`);
      const measured = udpSide('Countersign mfa-only HOTP', radiusPort, hotp);
      const protocol = udpSide('Countersign Status-Server', radiusPort, 'status-server');
      stops.push(limit.close, measured.close, protocol.close);
      options.log(
        `${OUTSTANDING} outstanding requests; ${options.warmupSeconds} s warm-up each, then ${options.rounds} alternating rounds, ${options.seconds} s per side`,
      );
      const outcome = await measureInRounds(measured, limit, { ...options, settleMs: 250, sleep });
      options.log(describeMeasurement(outcome.limit));
      options.log(describeMeasurement(outcome.measured));
      if (outcome.wrong > 0 || outcome.measured.operations === 0) {
        throw new BenchFailure(
          `${outcome.wrong} replies were not Access-Accept or never came (warm-up included)`,
        );
      }
      // The protocol alone: Status-Server (decode, Message-Authenticator, a signed Access-Accept, no login).
      const floor = await measureProtocolFloor(options, {
        protocol,
        limit,
        describe: 'Countersign Status-Server against FreeRADIUS PAP',
        wrong: 'Status-Servers got no Access-Accept',
      });
      const result = compare(this.name, this.target, outcome.measured, outcome.limit);
      result.measured.raw[PROTOCOL_FLOOR] = floor;
      return result;
    } finally {
      for (const stop of stops.reverse()) await stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
