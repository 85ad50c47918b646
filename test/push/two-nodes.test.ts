// Two `countersign serve` processes on one PostgreSQL: a synchronous push held on node A, approved through node B.
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
import { tapEvents } from './harness.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('push across two countersign processes on one PostgreSQL database', {
    skip: PG_SKIP_MESSAGE,
  }, () => {});
} else {
  const cluster = clusterOnPostgres(pgServer, 'push-nodes');
  const { nodes, clients } = cluster;

  test('a synchronous push held on node A is approved by a device talking to node B', async () => {
    // The first command migrates the fresh database before the servers start.
    const app = (await cli(cluster.env(), ['app', 'add', 'push-two-nodes'])) as {
      ikey: string;
      skey: string;
    };
    const started = await Promise.allSettled([startServe(cluster.env()), startServe(cluster.env())]);
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [nodeA, nodeB] = nodes as [ServeProcess, ServeProcess];
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
    const codes = await Promise.all(nodes.map(stopServe));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
