// auth_status long polls: what one server answered is its own state, so a second server on the same process and
// database answers its first poll at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { beginTransaction } from '../../src/core/transaction/index.ts';
import { createHttpServer, type HttpServer } from '../../src/server.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
} from '../support/server.ts';

let server: TestServer;
let second: HttpServer;
let secondUrl: string;

before(async () => {
  server = await startTestServer();
  // Another server on the same Countersign (process, store, bus): the state of one must not leak into the other.
  second = createHttpServer(server.countersign, { logger: false });
  secondUrl = await second.listen();
});
after(async () => {
  await second.close();
  await server.close();
});

test('issue 15: a second server answers its first auth_status poll at once, whatever the first one answered', async () => {
  const keys = await createTestApp(server.deps);
  const app = (await server.deps.store.applications.findByIkey(keys.ikey))!;
  const user = await createTestUser(server.deps, 'poller');
  await addTestTotp(server.deps, user);
  const { tx } = await beginTransaction(server.deps, { app, user, ip: null, factor: null });
  assert.equal(tx.state, 'awaiting_factor');

  const a = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
  const b = createAuthApiClient({ baseUrl: secondUrl, ...keys, clock: () => server.clock.now() });
  try {
    assert.equal((await a.authStatus(tx.id)).result, 'waiting', 'the first poll on A answers at once');
    // Unchanged since A's answer, but B has answered nothing yet: B must not hold its first poll. A held poll
    // would answer only after the 25 s hold; the watchdog is far above an answer given at once.
    const first = await Promise.race([b.authStatus(tx.id), sleep(15_000, 'held' as const)]);
    assert.notEqual(first, 'held', 'B held its first poll because A had answered the same version');
    assert.equal(first === 'held' ? null : first.result, 'waiting');
  } finally {
    a.close();
    b.close();
  }
});
