// Two `countersign serve` processes on one PostgreSQL database: a txid started on A is read on B, codes spend once.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';

const BIN = fileURLToPath(new URL('../../bin/countersign.js', import.meta.url));
const run = promisify(execFile);

interface Node {
  process: ChildProcess;
  url: string;
  stderr: () => string;
}

/** The parent's environment without COUNTERSIGN_* settings, plus the given ones. */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith('COUNTERSIGN_')) env[name] = value;
  return { ...env, ...settings };
}

/** Runs `countersign <args> --json` and parses what it prints. */
async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [BIN, ...args, '--json'], { env });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Spawns `countersign serve --json` and waits for the `{url}` line it prints once listening. */
async function startNode(env: NodeJS.ProcessEnv): Promise<Node> {
  // Port 0 lets the OS pick a free port; the process prints the URL it got.
  const child = spawn(process.execPath, [BIN, 'serve', '--json'], {
    env: { ...env, COUNTERSIGN_HTTP_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      // Every line is read, so the child never blocks on a full pipe.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) =>
        reject(new Error(`countersign serve exited with ${code} before listening:\n${stderr}`)),
      );
    });
    return { process: child, url, stderr: () => stderr };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Sends SIGTERM and returns the exit code (graceful shutdown is 0). */
async function stopNode(node: Node): Promise<number | null> {
  if (node.process.exitCode !== null) return node.process.exitCode;
  const exited = once(node.process, 'exit');
  node.process.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('two countersign processes on one PostgreSQL database', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const nodes: Node[] = [];
  const clients: AuthApiClient[] = [];

  before(async () => {
    database = await createTestDatabase(pgServer);
    dataDir = await mkdtemp(join(tmpdir(), 'countersign-two-nodes-'));
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
    for (const client of clients) client.close();
    for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a txid started on node A resolves on node B; a bypass code spent on A is refused on B', async () => {
    // The first command migrates the fresh database; the later ones may then run side by side.
    const app = await cli(env, ['app', 'add', 'two-nodes']);
    await cli(env, ['user', 'add', 'alice']);
    const [totp, bypass] = await Promise.all([
      cli(env, ['totp', 'add', 'alice']),
      cli(env, ['bypass', 'issue', 'alice']),
    ]);
    const secret = decodeBase32(new URL(String(totp.uri)).searchParams.get('secret') ?? '');
    const [bypassCode] = bypass.codes as string[];
    assert.ok(bypassCode);

    const started = await Promise.allSettled([startNode(env), startNode(env)]);
    // Keep every node that did start, so `after` stops it even when the other failed.
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [a, b] = nodes.map((node) => {
      const client = createAuthApiClient({
        baseUrl: node.url,
        ikey: String(app.ikey),
        skey: String(app.skey),
      });
      clients.push(client);
      return client;
    }) as [AuthApiClient, AuthApiClient];
    assert.notEqual(nodes[0]?.url, nodes[1]?.url);

    const passcode = generateTotp(secret, Date.now(), { algorithm: 'sha1', digits: 6, period: 30 });
    const { txid } = await a.auth({ username: 'alice', factor: 'passcode', passcode, async: 1 });
    assert.deepEqual(await b.authStatus(txid), {
      result: 'allow',
      status: 'allow',
      status_msg: 'Success. Logging you in...',
    });
    // The TOTP step A accepted is spent for B too.
    assert.equal((await b.auth({ username: 'alice', factor: 'passcode', passcode })).result, 'deny');

    assert.equal(
      (await a.auth({ username: 'alice', factor: 'passcode', passcode: bypassCode })).result,
      'allow',
    );
    assert.equal(
      (await b.auth({ username: 'alice', factor: 'passcode', passcode: bypassCode })).result,
      'deny',
    );

    for (const client of clients) client.close();
    const codes = await Promise.all(nodes.map(stopNode));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
