// Two `countersign serve` processes on one PostgreSQL: a signed request accepted by node A is refused by node B.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSignedRequest } from '../../src/client/sign-request.ts';
import { createTransport } from '../../src/client/transport.ts';
import { PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import {
  cli,
  clusterOnPostgres,
  type ServeProcess,
  startServe,
  stopServe,
} from '../support/serve-process.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  test('replays across two countersign processes on one PostgreSQL database', {
    skip: PG_SKIP_MESSAGE,
  }, () => {});
} else {
  const cluster = clusterOnPostgres(pgServer, 'replay-nodes');
  const { nodes, clients } = cluster;

  test('issue 9.3: a request accepted by node A and replayed to node B is refused with 401 40103', async () => {
    // The first command migrates the fresh database; the later ones may then run side by side.
    const app = (await cli(cluster.env(), ['app', 'add', 'replay-nodes'])) as { ikey: string; skey: string };
    await cli(cluster.env(), ['user', 'add', 'rosa']);
    // A code good for several logins: before the fix, every copy of the request logged in again.
    const bypass = await cli(cluster.env(), ['bypass', 'issue', 'rosa', '--uses', '5']);
    const [code] = bypass.codes as string[];
    assert.ok(code);

    const started = await Promise.allSettled([startServe(cluster.env()), startServe(cluster.env())]);
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const [a, b] = (nodes as [ServeProcess, ServeProcess]).map((node) => {
      const transport = createTransport(new URL(node.url));
      clients.push(transport);
      return transport;
    }) as [ReturnType<typeof createTransport>, ReturnType<typeof createTransport>];

    // Captured once, on its way to node A: the same bytes (Host header included) go to both nodes.
    const request = buildSignedRequest({
      method: 'POST',
      host: new URL(nodes[0]!.url).host,
      path: '/auth/v2/auth',
      params: { username: 'rosa', factor: 'passcode', passcode: code },
      ...app,
      signatureVersion: 5,
      date: new Date().toUTCString(),
    });
    assert.equal((assertOk(await a.send(request)) as { result: string }).result, 'allow');
    for (const [node, transport] of [
      ['B', b],
      ['A', a],
    ] as const) {
      const body = assertFail(await transport.send(request), 401, 40103);
      assert.match(body.message_detail ?? '', /already used/, `node ${node}`);
    }

    for (const client of clients) client.close();
    const codes = await Promise.all(nodes.map(stopServe));
    assert.deepEqual(codes, [0, 0], `exit codes; stderr:\n${nodes.map((node) => node.stderr()).join('\n')}`);
  });
}
