// Real `countersign` processes for multi-node tests: spawn `serve`, run CLI commands, stop gracefully.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../store/pg-test-database.ts';

export const BIN = fileURLToPath(new URL('../../bin/countersign.js', import.meta.url));
const run = promisify(execFile);

export interface ServeProcess {
  process: ChildProcess;
  url: string;
  /** The whole `--json` announcement (`url`, `radiusPort`, `metricsUrl`). */
  announced: Record<string, unknown>;
  /** Standard output so far: the announcement and the JSON log lines. */
  stdout: () => string;
  stderr: () => string;
}

/** The parent's environment without COUNTERSIGN_* settings, plus the given ones. */
export function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith('COUNTERSIGN_')) env[name] = value;
  return { ...env, ...settings };
}

/** Runs `countersign <args> --json` and parses what it prints. */
export async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], { env });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Spawns `countersign serve --json` on free ports and waits for the `{url}` line it prints once listening. */
export async function startServe(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--json'], {
    env: { ...env, COUNTERSIGN_HTTP_PORT: '0', COUNTERSIGN_RADIUS_PORT: '0', COUNTERSIGN_METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  try {
    const announced = await new Promise<Record<string, unknown>>((resolve, reject) => {
      // Every line is read, so the child never blocks on a full pipe.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        stdout += `${line}\n`;
        if (line.startsWith('{"url"')) resolve(JSON.parse(line) as Record<string, unknown>);
      });
      child.once('exit', (code) =>
        reject(new Error(`countersign serve exited with ${code} before listening:\n${stderr}`)),
      );
    });
    return {
      process: child,
      url: String(announced.url),
      announced,
      stdout: () => stdout,
      stderr: () => stderr,
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Sends SIGTERM and returns the exit code (graceful shutdown is 0). */
export async function stopServe(node: ServeProcess): Promise<number | null> {
  if (node.process.exitCode !== null) return node.process.exitCode;
  const exited = once(node.process, 'exit');
  node.process.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

/** What a multi-node test shares: one fresh PostgreSQL database, one key ring, the processes and clients to clean up. */
export interface ServeCluster {
  env: () => NodeJS.ProcessEnv;
  nodes: ServeProcess[];
  clients: Array<{ close(): void }>;
}

/** Registers before/after hooks for a cluster of `serve` processes on a fresh database of `pgServer`. */
export function clusterOnPostgres(pgServer: string, prefix: string): ServeCluster {
  let database: TestDatabase | undefined;
  let dataDir = '';
  let env: NodeJS.ProcessEnv = {};
  const cluster: ServeCluster = { env: () => env, nodes: [], clients: [] };
  before(async () => {
    database = await createTestDatabase(pgServer);
    dataDir = await mkdtemp(join(tmpdir(), `countersign-${prefix}-`));
    env = environment({
      COUNTERSIGN_DATABASE_URL: database.url,
      COUNTERSIGN_MASTER_KEY: randomBytes(32).toString('base64'),
      COUNTERSIGN_DATA_DIR: dataDir,
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      COUNTERSIGN_RADIUS_PORT: '0',
      COUNTERSIGN_LOG_LEVEL: 'warn',
    });
  });
  after(async () => {
    for (const client of cluster.clients) client.close();
    for (const node of cluster.nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return cluster;
}
