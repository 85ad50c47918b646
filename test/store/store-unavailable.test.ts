// A database that cannot be reached surfaces from the store as STORE_UNAVAILABLE, on SQLite and PostgreSQL alike.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startTcpRelay } from '../support/tcp-relay.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const unavailable = (error: unknown) => isCountersignError(error, 'STORE_UNAVAILABLE');

/** The calls a front makes, each of which must report the outage the same way. */
async function assertEveryCallUnavailable(store: Store): Promise<void> {
  await assert.rejects(store.users.get('u-1'), unavailable, 'a read');
  await assert.rejects(store.settings.set('k', { v: 1 }), unavailable, 'a write');
  await assert.rejects(
    store.atomically((repos) => repos.users.get('u-1')),
    unavailable,
    'a transaction',
  );
  assert.equal(await store.ping(), false);
}

/** A port nothing listens on: bound once by us, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SQLite', () => {
  test('issue 15: a closed SQLite store reports STORE_UNAVAILABLE from every call', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    await store.close();
    await assertEveryCallUnavailable(store);
  });
});

const serverUrl = testPgUrl();

describe('PostgreSQL', { skip: serverUrl === undefined ? PG_SKIP_MESSAGE : false }, () => {
  let database: TestDatabase | undefined;
  before(async () => {
    if (serverUrl) database = await createTestDatabase(serverUrl);
  });
  after(async () => {
    await database?.drop();
  });

  test('issue 15: a store pointed at a port nothing listens on reports STORE_UNAVAILABLE', async () => {
    const url = new URL(database!.url);
    url.hostname = '127.0.0.1';
    url.port = String(await deadPort());
    await assert.rejects(openStore({ url: url.toString() }), unavailable);
  });

  test('issue 15: a store whose PostgreSQL goes away reports STORE_UNAVAILABLE from every call', async () => {
    const target = new URL(database!.url);
    const link = await startTcpRelay({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(database!.url);
    url.hostname = '127.0.0.1';
    url.port = String(link.port);
    const store = await openStore({ url: url.toString() });
    try {
      assert.equal(await store.users.get('u-1'), null, 'the store works through the relay');
      // A transaction holds its connection across the cut: losing a checked-out connection must not crash us.
      let resume: () => void = () => {};
      const paused = new Promise<void>((resolve) => {
        resume = resolve;
      });
      let opened: () => void = () => {};
      const inTransaction = new Promise<void>((resolve) => {
        opened = resolve;
      });
      const open = store.atomically(async (repos) => {
        await repos.users.get('u-1');
        opened();
        await paused;
        return repos.users.get('u-2');
      });
      await inTransaction;
      await link.cut();
      await assertEveryCallUnavailable(store);
      resume();
      await assert.rejects(open, unavailable, 'the transaction that lost its connection');
    } finally {
      await store.close();
    }
  });
});
