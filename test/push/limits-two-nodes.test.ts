// Two `countersign serve` processes on one PostgreSQL: 600 pushes for one user, split between the nodes, meet
// one per-user start limit and leave exactly one push outstanding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { parseActivation } from '../../src/device-protocol/activation-link.ts';
import { PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import {
  cli,
  clusterOnPostgres,
  type ServeProcess,
  startServe,
  stopServe,
} from '../support/serve-process.ts';

const VOLUME = 600;
const PARALLEL = 50;
/** The default `[limits] logins_per_user_per_minute`: also the burst. */
const PER_USER_PER_MINUTE = 20;

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('issue 9.1: push limits across two countersign processes on one PostgreSQL database', {
    skip: PG_SKIP_MESSAGE,
  }, () => {});
} else {
  const cluster = clusterOnPostgres(pgServer, 'limit-nodes');
  const { nodes, clients } = cluster;

  test(`issue 9.1: ${VOLUME} pushes for one user through two nodes: one start limit, one push outstanding`, async () => {
    // The first command migrates the fresh database before the servers start.
    const app = (await cli(cluster.env(), ['app', 'add', 'limit-nodes'])) as { ikey: string; skey: string };
    const started = await Promise.allSettled([startServe(cluster.env()), startServe(cluster.env())]);
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [a, b] = (nodes as [ServeProcess, ServeProcess]).map((node) => {
      const client = createAuthApiClient({ baseUrl: node.url, ...app });
      clients.push(client);
      return client;
    }) as [AuthApiClient, AuthApiClient];

    const enrolled = await a.enroll({ username: 'nina' });
    const activation = parseActivation(enrolled.activation_code);
    assert.ok(activation);
    const device = createDeviceClient(await activateDevice(`${activation.code}@${nodes[1]!.url}`));

    const txids: string[] = [];
    const refusals = new Map<string, number>();
    const began = Date.now();
    for (let sent = 0; sent < VOLUME; sent += PARALLEL) {
      const batch = Array.from({ length: PARALLEL }, async (_, i) => {
        const n = sent + i;
        // Alternate nodes; every request differs (an identical signed request is a replay: issue 9.3).
        const response = await (n % 2 === 0 ? a : b).send('POST', '/auth/v2/auth', {
          username: 'nina',
          factor: 'push',
          device: 'auto',
          async: '1',
          pushinfo: `attempt=${n}`,
        });
        const body = JSON.parse(response.body.toString('utf8')) as {
          stat: string;
          code?: number;
          response?: { txid: string };
        };
        if (body.stat === 'OK') txids.push(body.response!.txid);
        else {
          const key = `${response.status}/${body.code} retry-after ${response.headers['retry-after'] !== undefined}`;
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
        }
      });
      await Promise.all(batch);
    }
    const seconds = (Date.now() - began) / 1000;

    // One budget for the user in the shared database: the burst, plus one start per 3 s of the wall clock.
    const allowed = PER_USER_PER_MINUTE + Math.ceil(seconds / 3);
    assert.ok(txids.length >= PER_USER_PER_MINUTE && txids.length <= allowed, `${txids.length} starts`);
    assert.deepEqual([...refusals], [['429/42901 retry-after true', VOLUME - txids.length]]);

    // Each started login: exactly one was pushed, every other was refused as "a push is outstanding".
    const statuses = new Map<string, number>();
    for (const [index, txid] of txids.entries()) {
      const status = await (index % 2 === 0 ? a : b).authStatus(txid);
      const key = status.status === 'deny' ? status.status_msg : status.status;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    assert.deepEqual([...statuses].sort(), [
      ['A login request is already waiting on your device.', txids.length - 1],
      ['pushed', 1],
    ]);
    assert.equal((await device.pending()).length, 1);

    for (const client of clients) client.close();
    const codes = await Promise.all(nodes.map(stopServe));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
