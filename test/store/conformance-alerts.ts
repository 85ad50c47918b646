// Conformance cases for console alerts: insertion order, the bound on how many are kept, two nodes at once.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../src/core/repositories.ts';
import { type Fixtures, NOW } from './fixtures.ts';

/** Registers the alert cases; `open` opens a second store (another pool: another node) on the same database. */
export function alertCases(store: () => Store, open: () => Promise<Store>, f: Fixtures): void {
  it('appends alerts and lists the newest, oldest first', async () => {
    const alerts = [
      f.alert({ at: NOW + 2 }),
      f.alert({ at: NOW + 1, application: null, ip: null }),
      f.alert(),
    ];
    for (const alert of alerts) await store().alerts.append(alert, 500);
    // Insertion order, not `at`: a clock step back on one node does not reorder the list.
    assert.deepEqual((await store().alerts.list(500)).slice(-3), alerts);
    assert.deepEqual(await store().alerts.list(2), alerts.slice(1));
  });

  it('keeps only the newest `keep` alerts', async () => {
    const alerts = Array.from({ length: 7 }, (_, n) => f.alert({ at: NOW + n }));
    for (const alert of alerts) await store().alerts.append(alert, 5);
    assert.deepEqual(await store().alerts.list(100), alerts.slice(2));
    await assert.rejects(store().alerts.append(f.alert(), 0), RangeError);
  });

  it('loses no alert when two nodes append 500 at once, and then keeps exactly the newest 500', async () => {
    const other = await open();
    try {
      const burst = (count: number) =>
        Promise.all(
          Array.from({ length: count }, (_, n) => {
            const alert = f.alert({ at: NOW + n });
            return (n % 2 === 0 ? store() : other).alerts.append(alert, 500).then(() => alert.txid);
          }),
        );
      const first = await burst(500);
      const stored = new Set((await store().alerts.list(1000)).map((a) => a.txid));
      assert.deepEqual(
        first.filter((txid) => !stored.has(txid)),
        [],
        'alerts lost',
      );
      const second = await burst(30);
      const kept = (await other.alerts.list(1000)).map((a) => a.txid);
      assert.equal(kept.length, 500);
      assert.deepEqual(kept.slice(-30).sort(), [...second].sort(), 'the newest are the last 30 written');
    } finally {
      await other.close();
    }
  });
}

/** Registers the fraud report cases: ids, review status, counts by status (issue 12). */
export function fraudReportCases(store: () => Store, f: Fixtures): void {
  it('lists fraud reports with ids and statuses, and changes a status', async () => {
    const alerts = [f.alert({ at: NOW + 1 }), f.alert({ at: NOW + 2 })];
    for (const alert of alerts) await store().alerts.append(alert, 500);
    const reports = (await store().alerts.listReports(500)).slice(-2);
    assert.deepEqual(
      reports.map(({ id: _id, status: _status, ...alert }) => alert),
      alerts,
    );
    assert.deepEqual(
      reports.map((report) => report.status),
      ['open', 'open'],
    );
    const open = await store().alerts.countByStatus('open');
    assert.equal(await store().alerts.setStatus(reports[0]!.id, 'reviewed'), true);
    assert.equal((await store().alerts.listReports(500)).at(-2)?.status, 'reviewed');
    assert.equal(await store().alerts.countByStatus('open'), open - 1);
    assert.equal(await store().alerts.countByStatus('reviewed'), 1);
    assert.equal(await store().alerts.setStatus('999999999', 'dismissed'), false);
    assert.equal(await store().alerts.setStatus('not-a-number', 'dismissed'), false);
  });
}
