// A PostgreSQL cluster of the test's own (Debian's postgresql-common), so a test may stop and start the server without
// touching the shared one on 5432 that other tests and helpers use.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OwnCluster {
  name: string;
  port: number;
  /** The cluster's `postgres` database as the superuser, over TCP (trust on 127.0.0.1). */
  url: string;
  start(): Promise<void>;
  /** A fast shutdown: open sessions are ended, their transactions rolled back. */
  stop(): Promise<void>;
  /** Stops the cluster if running and deletes it with its data. */
  drop(): Promise<void>;
}

/** The newest PostgreSQL major version installed under /usr/lib/postgresql, or null. */
function installedVersion(): string | null {
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ?? null;
  } catch {
    return null;
  }
}

/** Why this machine cannot give a test its own cluster, or false when it can. */
export function ownClusterSkip(): string | false {
  if (process.getuid?.() !== 0)
    return 'needs root to create a PostgreSQL cluster of its own (run as root, or in CI)';
  if (spawnSync('pg_createcluster', ['--help'], { stdio: 'ignore' }).error !== undefined) {
    return 'pg_createcluster not on PATH: apt-get install -y postgresql';
  }
  if (installedVersion() === null) return 'no PostgreSQL server under /usr/lib/postgresql';
  return false;
}

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Creates and starts a fresh cluster `cs-fault-<random>` on a free port; drop() it in an `after` hook. */
export async function createOwnCluster(): Promise<OwnCluster> {
  const version = installedVersion()!;
  const name = `cs-fault-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const ctl = (action: string, ...extra: string[]) => run('pg_ctlcluster', [...extra, version, name, action]);
  // Not started at boot; trust for local and 127.0.0.1 only (initdb's own options, after `--`).
  await run('pg_createcluster', [
    version,
    name,
    '--port',
    String(port),
    '--start-conf',
    'manual',
    '--',
    '--auth-local=trust',
    '--auth-host=trust',
  ]);
  const cluster: OwnCluster = {
    name,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await ctl('start');
    },
    stop: async () => {
      await ctl('stop', '--mode', 'fast');
    },
    drop: async () => {
      await run('pg_dropcluster', ['--stop', version, name]);
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.drop().catch(() => {});
    throw error;
  }
  return cluster;
}
