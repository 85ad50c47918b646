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

  test('issue 14: node A killed with pushes pending: node B finishes them and the devices still answer', {
    timeout: 240_000,
  }, async () => {
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

    // The devices know only the balancer's address, which for now leads to node A.
    const enrollDevice = async (username: string) => {
      const enrolled = await a.enroll({ username });
      const activation = parseActivation(enrolled.activation_code);
      assert.ok(activation);
      const device = createDeviceClient(await activateDevice(`${activation.code}@${balancerUrl}`));
      const status = { user_id: enrolled.user_id, activation_code: enrolled.activation_code };
      assert.equal(await a.enrollStatus(status), 'success');
      return device;
    };
    const kim = await enrollDevice('kim');
    const lee = await enrollDevice('lee');

    // One push each (a device holds one pending request at a time), started through node A; kim's arrives on
    // its live channel to node A.
    const tapOnA = await tapEvents(kim);
    const push = async (client: AuthApiClient, username: string) =>
      (await client.auth({ username, factor: 'push', device: 'auto', async: 1 })).txid;
    const kimTx = await push(a, 'kim');
    await tapOnA.next((event) => event.type === 'request' && event.request.txid === kimTx);
    const leeTx = await push(a, 'lee');
    await waitForPending(lee, leeTx);
    // The first auth_status answers at once; the next one on an unchanged transaction waits for a change.
    for (const txid of [kimTx, leeTx]) assert.equal((await b.authStatus(txid)).result, 'waiting');

    // Node A dies without a word; the live channel through it breaks, and the balancer moves on to node B.
    const exited = once(nodeA.process, 'exit');
    process.kill(nodeA.process.pid!, 'SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL');
    balancer.retarget(Number(new URL(nodeB.url).port));
    await tapOnA.stop().catch(() => {});

    // Nothing pending was lost with node A: both devices still see their request, now through node B.
    assert.deepEqual(
      (await kim.pending()).map((request) => request.txid),
      [kimTx],
    );
    assert.deepEqual(
      (await lee.pending()).map((request) => request.txid),
      [leeTx],
    );

    const tapOnB = await tapEvents(kim);
    try {
      // Auth API clients long-polling node B hear the devices' answers.
      const heldKim = b.authStatus(kimTx);
      assert.equal(await kim.approve(kimTx), 'allow');
      assert.equal((await heldKim).result, 'allow');
      assert.deepEqual(await tapOnB.next((event) => event.type === 'resolved' && event.txid === kimTx), {
        type: 'resolved',
        txid: kimTx,
        state: 'allow',
      });
      const heldLee = b.authStatus(leeTx);
      assert.equal(await lee.deny(leeTx), 'deny');
      assert.equal((await heldLee).result, 'deny');

      // A push started on node B after the failure reaches kim's live channel, and is answered.
      const again = await push(b, 'kim');
      await tapOnB.next((event) => event.type === 'request' && event.request.txid === again);
      assert.equal((await b.authStatus(again)).result, 'waiting');
      const heldAgain = b.authStatus(again);
      assert.equal(await kim.approve(again), 'allow');
      assert.equal((await heldAgain).result, 'allow');
      assert.deepEqual(await kim.pending(), []);
    } finally {
      await tapOnB.stop();
    }
    assert.equal(await stopServe(nodeB), 0, nodeB.stderr());
  });
}
