// Two `countersign serve` processes on one PostgreSQL database: a txid started on A is read on B, codes spend once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { cli, clusterOnPostgres, startServe, stopServe } from '../support/serve-process.ts';
import { withTrustedDevice } from './envelope-assertions.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('two countersign processes on one PostgreSQL database', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  const cluster = clusterOnPostgres(pgServer, 'two-nodes');
  const { nodes, clients } = cluster;

  test('a txid started on node A resolves on node B; a bypass code spent on A is refused on B', async () => {
    // The first command migrates the fresh database; the later ones may then run side by side.
    const app = await cli(cluster.env(), ['app', 'add', 'two-nodes']);
    await cli(cluster.env(), ['user', 'add', 'alice']);
    const [totp, bypass] = await Promise.all([
      cli(cluster.env(), ['totp', 'add', 'alice']),
      cli(cluster.env(), ['bypass', 'issue', 'alice']),
    ]);
    const secret = decodeBase32(new URL(String(totp.uri)).searchParams.get('secret') ?? '');
    const [bypassCode] = bypass.codes as string[];
    assert.ok(bypassCode);

    const started = await Promise.allSettled([startServe(cluster.env()), startServe(cluster.env())]);
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
    assert.deepEqual(withTrustedDevice(await b.authStatus(txid)), {
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
