// The console's alert log written by two nodes at once (two stores = two connection pools on one database).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/core/repositories.ts';
import { type Alert, alertLog } from '../../src/fronts/notify/alert-log.ts';
import { openStore } from '../../src/store/open-store.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';

/** Writes per node: 2 × 250 = 500 concurrent writes, as many as the log keeps. */
const PER_NODE = 250;

function alert(node: string, n: number): Alert {
  return {
    at: 1_750_000_000_000 + n,
    kind: 'fraud',
    userId: `DU${node}${n}`,
    username: `user-${node}-${n}`,
    application: 'VPN',
    txid: `tx-${node}-${n}`,
    ip: '203.0.113.9',
  };
}

/** Registers the two-node cases for a database that `open` opens a new store (a new pool) on each call. */
function twoNodeCases(open: () => Promise<Store>): void {
  let nodeA: Store;
  let nodeB: Store;
  before(async () => {
    nodeA = await open();
    nodeB = await open();
  });
  after(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  it('issue 9.10: 500 concurrent fraud alerts from two nodes: none lost; 20 more keep the newest 500', async () => {
    // Two logs per node as well: two logins of one node may report fraud at once.
    const logs = [alertLog(nodeA), alertLog(nodeA), alertLog(nodeB), alertLog(nodeB)];
    const burst = (from: number, count: number) => {
      const writes: Promise<void>[] = [];
      for (let n = from; n < from + count; n++) {
        writes.push(logs[n % 2]!.record(alert('A', n)), logs[2 + (n % 2)]!.record(alert('B', n)));
      }
      return Promise.all(writes);
    };
    await burst(0, PER_NODE);
    const stored = new Set((await alertLog(nodeA).list()).map((a) => a.txid));
    assert.equal(2 * PER_NODE - stored.size, 0, `${2 * PER_NODE - stored.size} of 500 alerts were lost`);

    await burst(PER_NODE, 10);
    const kept = await alertLog(nodeB).list();
    assert.equal(kept.length, 500, 'the newest 500 are kept');
    const txids = new Set(kept.map((a) => a.txid));
    for (let n = PER_NODE; n < PER_NODE + 10; n++) {
      assert.ok(txids.has(`tx-A-${n}`) && txids.has(`tx-B-${n}`), `newest alert ${n} kept`);
    }
  });
}

describe('alert log on two SQLite connections', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'countersign-alerts-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  twoNodeCases(() => openStore({ sqlitePath: join(dir, 'countersign.db') }));
});

const pgUrl = testPgUrl();
describe('alert log on two PostgreSQL pools', { skip: pgUrl === undefined && PG_SKIP_MESSAGE }, () => {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgUrl!);
  });
  after(async () => {
    await database?.drop();
  });
  twoNodeCases(async () => {
    if (!database) throw new Error('test database was not created');
    return openStore({ url: database.url });
  });
});
