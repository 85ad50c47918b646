// Two `countersign serve` processes on one PostgreSQL: a synchronous push held on node A, approved through node B.
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
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { parseActivation } from '../../src/device-protocol/activation-link.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { tapEvents } from './harness.ts';

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

/** Spawns `countersign serve --json` on port 0 and waits for the `{url}` line it prints once listening. */
async function startNode(env: NodeJS.ProcessEnv): Promise<Node> {
  const child = spawn(process.execPath, [BIN, 'serve', '--json'], {
    env: { ...env, COUNTERSIGN_HTTP_PORT: '0', COUNTERSIGN_RADIUS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`countersign serve exited with ${code}:\n${stderr}`)));
    });
    return { process: child, url, stderr: () => stderr };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** SIGTERM, then the exit code (graceful shutdown is 0). */
async function stopNode(node: Node): Promise<number | null> {
  if (node.process.exitCode !== null) return node.process.exitCode;
  const exited = once(node.process, 'exit');
  node.process.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('push across two countersign processes on one PostgreSQL database', {
    skip: PG_SKIP_MESSAGE,
  }, () => {});
} else {
  let database: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const nodes: Node[] = [];
  const clients: AuthApiClient[] = [];

  before(async () => {
    database = await createTestDatabase(pgServer);
    dataDir = await mkdtemp(join(tmpdir(), 'countersign-push-nodes-'));
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

  test('a synchronous push held on node A is approved by a device talking to node B', async () => {
    // The first command migrates the fresh database before the servers start.
    const { stdout } = await run(process.execPath, [BIN, 'app', 'add', 'push-two-nodes', '--json'], { env });
    const app = JSON.parse(stdout) as { ikey: string; skey: string };
    const started = await Promise.allSettled([startNode(env), startNode(env)]);
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [nodeA, nodeB] = nodes as [Node, Node];
    const [a, b] = [nodeA, nodeB].map((node) => {
      const client = createAuthApiClient({ baseUrl: node.url, ikey: app.ikey, skey: app.skey });
      clients.push(client);
      return client;
    }) as [AuthApiClient, AuthApiClient];

    // Enrolled through A, activated on B: the device only ever talks to node B.
    const enrolled = await a.enroll({ username: 'nora' });
    const activation = parseActivation(enrolled.activation_code);
    assert.ok(activation);
    const device = createDeviceClient(await activateDevice(`${activation.code}@${nodeB.url}`));
    assert.equal(device.account.serverUrl, nodeB.url);
    assert.equal(
      await b.enrollStatus({ user_id: enrolled.user_id, activation_code: enrolled.activation_code }),
      'success',
    );

    const tap = await tapEvents(device);
    try {
      let settled = false;
      const held = a.auth({ username: 'nora', factor: 'push', device: 'auto' }).finally(() => {
        settled = true;
      });
      // Node A's push reaches node B's live channel through PostgreSQL LISTEN/NOTIFY.
      const live = await tap.next((event) => event.type === 'request');
      assert.equal(live.type, 'request');
      const { txid } = live.request;
      assert.deepEqual(
        (await device.pending()).map((request) => request.txid),
        [txid],
      );
      assert.equal(settled, false, 'node A still holds the synchronous /auth');
      assert.equal(await device.approve(txid), 'allow');
      const answer = await held;
      assert.equal(answer.result, 'allow');
      assert.deepEqual(await tap.next((event) => event.type === 'resolved'), {
        type: 'resolved',
        txid,
        state: 'allow',
      });
    } finally {
      await tap.stop();
    }
    for (const client of clients) client.close();
    const codes = await Promise.all(nodes.map(stopNode));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
