// Conformance cases for what push limits and login rate limits decide on: aggregates and GCRA, on both databases.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../src/core/repositories.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

const MINUTE = 60_000;

/** Registers the rate-limit and push-activity cases on the store `store()` returns. */
export function limitCases(store: () => Store, f: Fixtures): void {
  it('issue 9.1: GCRA lets a burst through, then one per interval; a refusal says when to retry', async () => {
    const key = f.next('user:');
    const rule = { intervalMs: 3_000, burst: 20 };
    const first = await Promise.all(
      Array.from({ length: 20 }, () => store().rateLimits.take(key, NOW, rule)),
    );
    assert.ok(first.every((d) => d.allowed));
    const refused = await store().rateLimits.take(key, NOW, rule);
    assert.deepEqual(refused, { allowed: false, retryAfterMs: 3_000 });
    assert.equal((await store().rateLimits.take(key, NOW + 2_999, rule)).allowed, false);
    assert.equal((await store().rateLimits.take(key, NOW + 3_000, rule)).allowed, true);
    assert.equal((await store().rateLimits.take(key, NOW + 3_000, rule)).allowed, false);
    assert.equal((await store().rateLimits.take(key, NOW + 60 * MINUTE, rule)).allowed, true);
  });

  it('issue 9.1: of 1,000 parallel attempts on one key, exactly the burst passes', async () => {
    const key = f.next('address:');
    const rule = { intervalMs: 6_000, burst: 10 };
    const winners = await countWinners(
      1_000,
      async () => (await store().rateLimits.take(key, NOW, rule)).allowed,
    );
    assert.equal(winners, 10);
    const pending = await store().rateLimits.pendingRefusals(key);
    assert.deepEqual(pending, { key, refused: 990, refusedSince: NOW });
  });

  it('issue 9.1: an attempt given back no longer counts; the others still do', async () => {
    const key = f.next('address:');
    const rule = { intervalMs: 3_000, burst: 3 };
    await store().atomically(async (repos) => {
      assert.equal((await repos.rateLimits.take(key, NOW, rule)).allowed, true);
      await repos.rateLimits.giveBack(key, rule);
    });
    for (let i = 0; i < 3; i++) assert.equal((await store().rateLimits.take(key, NOW, rule)).allowed, true);
    await store().rateLimits.giveBack(key, rule);
    assert.equal((await store().rateLimits.take(key, NOW, rule)).allowed, true);
    assert.deepEqual(await store().rateLimits.take(key, NOW, rule), { allowed: false, retryAfterMs: 3_000 });
  });

  it('issue 9.1: refusals are summarised once (compare-and-set), and later ones stay pending', async () => {
    const key = f.next('user:');
    const rule = { intervalMs: MINUTE, burst: 1 };
    for (let i = 0; i < 5; i++) await store().rateLimits.take(key, NOW, rule);
    const pending = await store().rateLimits.pendingRefusals(key);
    assert.deepEqual(pending, { key, refused: 4, refusedSince: NOW });
    assert.ok(pending);
    const winners = await countWinners(10, () => store().rateLimits.markSummarised(pending, NOW + MINUTE));
    assert.equal(winners, 1);
    assert.equal(await store().rateLimits.pendingRefusals(key), null);
    await store().rateLimits.take(key, NOW + 10, rule);
    assert.deepEqual(await store().rateLimits.pendingRefusals(key), {
      key,
      refused: 1,
      refusedSince: NOW + 10,
    });
    const due = await store().rateLimits.listPendingRefusals(NOW + 11, 1_000);
    assert.ok(due.some((row) => row.key === key));
  });

  it('issue 9.1: push activity is an aggregate: 1,000 newer refusals do not hide a fraud report or an open push', async () => {
    const userId = f.next('DU');
    const at = NOW - 5 * MINUTE;
    const fraud = f.transaction({
      userId,
      state: 'fraud',
      factor: 'push',
      deviceId: 'DP',
      createdAt: at,
      updatedAt: at,
    });
    const open = f.transaction({
      userId,
      state: 'pushed',
      factor: 'push',
      deviceId: 'DP',
      createdAt: at + 1,
      updatedAt: at + 1,
      expiresAt: NOW + MINUTE,
    });
    await store().transactions.create(fraud);
    await store().transactions.create(open);
    await store().atomically(async (repos) => {
      for (let i = 0; i < 1_000; i++) {
        const t = at + 2 + i;
        await repos.transactions.create(
          f.transaction({
            userId,
            state: 'deny',
            reason: 'fraud_pause',
            factor: 'push',
            createdAt: t,
            updatedAt: t,
          }),
        );
      }
    });
    const activity = await store().transactions.pushActivity(userId, NOW - 20 * MINUTE, NOW, 'TXNONE');
    assert.deepEqual(activity, { outstanding: 1, lastFraudAt: at, lastDenialAt: null, lastSuccessAt: null });
    assert.equal(
      (await store().transactions.pushActivity(userId, NOW - 20 * MINUTE, NOW, open.id)).outstanding,
      0,
    );
    assert.equal(await store().transactions.countPushesSince(userId, NOW - 20 * MINUTE), 2);
  });
}
