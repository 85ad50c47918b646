// One of two `serve` nodes on one PostgreSQL killed (SIGKILL by its PID) while pushes it started are pending: the
// other node finishes them. The device reaches the nodes through a relay standing in for the load balancer, which
// sends new connections to node B once node A is gone; its answers reach Auth API clients waiting on node B.
import assert from 'node:assert/strict';
import { once } from 'node:events';
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
import { startTcpRelay } from '../support/tcp-relay.ts';
import { tapEvents, waitForPending } from './harness.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('issue 14: a node killed while its pushes are pending', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  const cluster = clusterOnPostgres(pgServer, 'node-killed');
  const { nodes, clients } = cluster;

  test('issue 14: node A killed with pushes pending: node B finishes them and the device still answers', async () => {
    const app = (await cli(cluster.env(), ['app', 'add', 'node-killed'])) as { ikey: string; skey: string };
    const started = await Promise.allSettled([startServe(cluster.env()), startServe(cluster.env())]);
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [nodeA, nodeB] = nodes as [ServeProcess, ServeProcess];
    const [a, b] = [nodeA, nodeB].map((node) => {
      const client = createAuthApiClient({ baseUrl: node.url, ikey: app.ikey, skey: app.skey });
      clients.push(client);
      return client;
    }) as [AuthApiClient, AuthApiClient];
    const balancer = await startTcpRelay({ host: '127.0.0.1', port: Number(new URL(nodeA.url).port) });
    clients.push({ close: () => void balancer.cut() });
    const balancerUrl = `http://127.0.0.1:${balancer.port}`;

    // The device knows only the balancer's address, which for now leads to node A.
    const enrolled = await a.enroll({ username: 'kim' });
    const activation = parseActivation(enrolled.activation_code);
    assert.ok(activation);
    const device = createDeviceClient(await activateDevice(`${activation.code}@${balancerUrl}`));
    assert.equal(
      await a.enrollStatus({ user_id: enrolled.user_id, activation_code: enrolled.activation_code }),
      'success',
    );

    // Three pushes started through node A, delivered on the device's live channel to node A.
    const tapOnA = await tapEvents(device);
    const txids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { txid } = await a.auth({ username: 'kim', factor: 'push', device: 'auto', async: 1 });
      txids.push(txid);
      await tapOnA.next((event) => event.type === 'request' && event.request.txid === txid);
    }
    for (const txid of txids) assert.equal((await b.authStatus(txid)).result, 'waiting');

    // Node A dies without a word; the live channel through it breaks, and the balancer moves on to node B.
    const exited = once(nodeA.process, 'exit');
    process.kill(nodeA.process.pid!, 'SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL');
    balancer.retarget(Number(new URL(nodeB.url).port));
    await tapOnA.stop().catch(() => {});

    // Nothing pending was lost with node A.
    const pending = await waitForPending(device, txids[2]);
    assert.equal(pending.txid, txids[2]);
    assert.deepEqual((await device.pending()).map((request) => request.txid).sort(), [...txids].sort());

    // An Auth API client long-polling node B hears the device's approval (auth_status answered once already, so
    // this call waits for a change).
    const tapOnB = await tapEvents(device);
    try {
      const heldApprove = b.authStatus(txids[0]!);
      assert.equal(await device.approve(txids[0]!), 'allow');
      assert.equal((await heldApprove).result, 'allow');
      assert.deepEqual(await tapOnB.next((event) => event.type === 'resolved' && event.txid === txids[0]), {
        type: 'resolved',
        txid: txids[0],
        state: 'allow',
      });

      const heldDeny = b.authStatus(txids[1]!);
      assert.equal(await device.deny(txids[1]!), 'deny');
      assert.equal((await heldDeny).result, 'deny');

      // A push started on node B after the failure reaches the device too, and is answered.
      const { txid } = await b.auth({ username: 'kim', factor: 'push', device: 'auto', async: 1 });
      await tapOnB.next((event) => event.type === 'request' && event.request.txid === txid);
      assert.equal((await b.authStatus(txid)).result, 'waiting');
      assert.equal(await device.approve(txid), 'allow');
      assert.equal((await b.authStatus(txid)).result, 'allow');

      // The third push from node A is still open, and still answerable.
      assert.equal(await device.approve(txids[2]!), 'allow');
      assert.equal((await b.authStatus(txids[2]!)).result, 'allow');
      assert.deepEqual(await device.pending(), []);
    } finally {
      await tapOnB.stop();
    }
    assert.equal(await stopServe(nodeB), 0, nodeB.stderr());
  });
}
