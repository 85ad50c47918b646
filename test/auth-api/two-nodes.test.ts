// Two `countersign serve` processes on one PostgreSQL database: a txid started on A is read on B, codes spend once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { cli, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('two countersign processes on one PostgreSQL database', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const nodes: ServeProcess[] = [];
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

    const started = await Promise.allSettled([startServe(env), startServe(env)]);
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
    const codes = await Promise.all(nodes.map(stopServe));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
