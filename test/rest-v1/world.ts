// Debian's duo_unix 1.11.3 clients against a real Countersign over HTTPS: server, keys, users, devices, runners.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { PolicyLayer, User } from '../../src/core/model.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient, type DeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import { fetchTrusting } from '../support/https-fetch.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { confText, documentedConf } from './documented.ts';

export const LOGIN_DUO = '/usr/sbin/login_duo';
export const PAMTESTER = '/usr/bin/pamtester';

/** What a client process did: its exit code and everything it wrote. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DuoUnixWorld {
  server: TestServer;
  certs: TestCertificates;
  /** A directory private to this test for configuration files. */
  dir: string;
  /** `localhost:<port>`: the `host` duo_unix is configured with (the certificate names localhost). */
  host: string;
  /** Creates an auth-api application (REST v1 on unless `legacyRestV1: false`); returns its keys. */
  app(options?: { legacyRestV1?: boolean; policy?: PolicyLayer }): Promise<{ ikey: string; skey: string }>;
  /** Enrolls the headless device client (src/device-client) for `user`. */
  device(user: User): Promise<DeviceClient>;
  /**
   * Writes a duo_unix configuration file (mode 600, as duo_unix demands): the documented settings of docs/pam.md
   * pointed at this server, with `overrides` applied (null removes a setting). Returns its path.
   */
  conf(
    file: 'pam_duo.conf' | 'login_duo.conf',
    keys: { ikey: string; skey: string },
    overrides?: Record<string, string | null>,
  ): Promise<string>;
  /**
   * Makes the database unreachable for the rest of the world's life: SQLite's store is closed; PostgreSQL's
   * database refuses connections and the open ones are ended.
   */
  storeDown(): Promise<void>;
  close(): Promise<void>;
}

/** Starts Countersign over HTTPS with a test CA (`config` overrides by dotted path, e.g. a PostgreSQL URL). */
export async function startDuoUnixWorld(config: Record<string, unknown> = {}): Promise<DuoUnixWorld> {
  const certs = await createTestCertificates();
  const dir = await mkdtemp(join(tmpdir(), 'countersign-duo-unix-'));
  const server = await startTestServer({
    config: { 'http.tls_cert': certs.certFile, 'http.tls_key': certs.keyFile, ...config },
  });
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, certs.caPem);
  const fetch = fetchTrusting(certs.caPem);
  const host = `localhost:${server.port}`;
  let files = 0;
  return {
    server,
    certs,
    dir,
    host,
    async app(options = {}) {
      const { app, skey } = await createApplication(server.deps, 'test', {
        name: `ssh-${server.deps.random.uuid()}`,
        type: 'auth-api',
        legacyRestV1: options.legacyRestV1 ?? true,
        ...(options.policy !== undefined && { policy: options.policy }),
      });
      return { ikey: app.ikey, skey };
    },
    async device(user) {
      const { code } = await createActivation(server.deps, 'test', user, {});
      const account = await activateDevice(activationLink(server.url, code), { name: 'headless', fetch });
      return createDeviceClient(account, { clock: server.clock, fetch });
    },
    async conf(file, keys, overrides = {}) {
      const path = join(dir, `${++files}-${file}`);
      const text = confText(documentedConf(file), {
        host,
        ikey: keys.ikey,
        skey: keys.skey,
        cafile: caFile,
        ...overrides,
      });
      await writeFile(path, text, { mode: 0o600 });
      await chmod(path, 0o600);
      return path;
    },
    async storeDown() {
      const url = config.database_url;
      if (typeof url !== 'string') {
        await server.deps.store.close();
        return;
      }
      const name = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
      } finally {
        await admin.end();
      }
    },
    async close() {
      try {
        await server.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
        await certs.remove();
      }
    },
  };
}

/** A program started by `start`: `seen` resolves once its output matches; `done` when it has exited. */
export interface Running {
  seen(pattern: RegExp): Promise<void>;
  done: Promise<Ran>;
}

/**
 * Starts a program (killed after 90 s so a hung client fails the test instead of hanging it). `input` is written
 * to its standard input once `waitFor` (when given) has appeared in its output.
 */
export function start(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; waitFor?: RegExp } = {},
): Running {
  const child = spawn(command, args, { env: options.env ?? {}, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let written = options.input === undefined;
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const look = () => {
    const output = stdout + stderr;
    for (const watcher of watchers.splice(0)) {
      if (watcher.pattern.test(output)) watcher.resolve();
      else watchers.push(watcher);
    }
    if (written || (options.waitFor && !options.waitFor.test(output))) return;
    written = true;
    child.stdin.write(options.input);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    look();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    look();
  });
  look();
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const done = new Promise<Ran>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const watcher of watchers.splice(0)) watcher.resolve();
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    seen: (pattern) =>
      new Promise<void>((resolve) => {
        watchers.push({ pattern, resolve });
        look();
      }),
    done,
  };
}

/** Runs a program to its end: `start`, then its outcome. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; waitFor?: RegExp } = {},
): Promise<Ran> {
  return start(command, args, options).done;
}

/** The login_duo command line: debug log on stderr, a private configuration, `echo LOGGED-IN` as the session. */
export function loginDuoArgs(conf: string, user: string): string[] {
  return ['-d', '-c', conf, '-f', user, '/bin/echo', 'LOGGED-IN'];
}

/** A PATH for the clients (login_duo runs the session command through the user's shell). */
export const CLIENT_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Waits until `device` has a pending login, then approves it; returns its txid. Polls: the device client's live
 * channel would need a second TLS client, and a poll every 50 ms is what the app's fallback does too.
 */
export async function approveWhenAsked(device: DeviceClient, signal?: AbortSignal): Promise<string> {
  for (;;) {
    if (signal?.aborted) throw new Error('gave up waiting for a push');
    const [request] = await device.pending();
    if (request) {
      await device.approve(request.txid);
      return request.txid;
    }
    await sleep(50);
  }
}
