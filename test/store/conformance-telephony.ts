// Conformance cases for telephony: the log (Duo's telephony log items) and the daily credit budget under volume.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TelephonyLogEntry } from '../../src/core/model.ts';
import type { Store } from '../../src/core/repositories.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

/** Registers the telephony cases; `open` opens a second store (another pool: another node) on the same database. */
export function telephonyCases(store: () => Store, open: () => Promise<Store>, f: Fixtures): void {
  const entry = (overrides: Partial<TelephonyLogEntry> = {}): TelephonyLogEntry => ({
    id: f.next('TL'),
    at: NOW,
    context: 'authentication',
    type: 'sms',
    phone: '+15551230000',
    credits: 1,
    userId: null,
    provider: 'twilio',
    providerRef: 'SM0123456789abcdef0123456789abcdef',
    status: 'sent',
    ...overrides,
  });

  it('records messages and calls and lists them by time, within mintime and maxtime', async () => {
    const user = f.user();
    await store().users.create(user);
    const base = NOW + 10_000_000;
    const entries = [
      entry({ at: base + 2, type: 'phone', credits: 3, userId: user.id, providerRef: null }),
      entry({ at: base, context: 'enrollment', status: 'failed', credits: 0 }),
      entry({ at: base + 1, context: 'verification', provider: 'kannel' }),
    ];
    for (const e of entries) await store().telephony.append(e);
    const listed = await store().telephony.list({ mintime: base, maxtime: base + 2, limit: 10 });
    assert.deepEqual(listed, [entries[1], entries[2], entries[0]]);
    assert.deepEqual(await store().telephony.list({ mintime: base + 1, maxtime: base + 1, limit: 10 }), [
      entries[2],
    ]);
    assert.equal((await store().telephony.list({ mintime: base, limit: 2 })).length, 2);
  });

  it('spends credits within the budget, refuses past it, and refunds never below zero', async () => {
    const day = '2025-01-02';
    assert.equal(await store().telephony.creditsSpent(day), 0);
    assert.equal(await store().telephony.spendCredits(day, 4, 10), true);
    assert.equal(await store().telephony.spendCredits(day, 6, 10), true);
    assert.equal(await store().telephony.spendCredits(day, 1, 10), false, 'the 11th credit is refused');
    assert.equal(await store().telephony.creditsSpent(day), 10);
    assert.equal(await store().telephony.spendCredits(day, 0, 10), true, 'a free send passes a spent budget');
    await store().telephony.refundCredits(day, 3);
    assert.equal(await store().telephony.creditsSpent(day), 7);
    await store().telephony.refundCredits(day, 50);
    assert.equal(await store().telephony.creditsSpent(day), 0);
    assert.equal(await store().telephony.spendCredits(day, 11, 10), false, 'more than the whole budget');
    assert.equal(await store().telephony.spendCredits(day, 500, null), true, 'no budget: anything goes');
    assert.equal(await store().telephony.creditsSpent(day), 500);
    await assert.rejects(store().telephony.spendCredits(day, -1, 10), RangeError);
  });

  it('never overspends when two nodes spend 600 times at once on one day', async () => {
    const other = await open();
    try {
      const day = '2031-07-14';
      const budget = 137;
      const spent = await countWinners(600, (i) =>
        (i % 2 === 0 ? store() : other).telephony.spendCredits(day, 1, budget),
      );
      assert.equal(spent, budget);
      assert.equal(await other.telephony.creditsSpent(day), budget);
      // Mixed sizes: what passes adds up to the budget or less, never more.
      const day2 = '2031-07-15';
      const sizes = Array.from({ length: 300 }, (_, i) => 1 + (i % 7));
      const results = await Promise.all(
        sizes.map((size, i) => (i % 2 === 0 ? store() : other).telephony.spendCredits(day2, size, 400)),
      );
      const total = sizes.reduce((sum, size, i) => sum + (results[i] ? size : 0), 0);
      assert.equal(await store().telephony.creditsSpent(day2), total);
      assert.ok(total <= 400 && total > 400 - 7, `spent ${total} of 400`);
    } finally {
      await other.close();
    }
  });
}
