// Conformance cases for authentication transactions, the audit log and atomic multi-step writes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import type { AuditEntry } from '../../src/core/model.ts';
import type { Store } from '../../src/core/repositories.ts';
import type { Reason } from '../../src/core/transaction/index.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

function entry(action: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: NOW,
    kind: 'auth',
    action,
    actor: null,
    userId: 'DUUSER',
    username: 'ada',
    applicationId: 'DAAPP',
    factor: 'push',
    result: 'allow',
    reason: 'user_approved',
    ip: '192.0.2.1',
    detail: { device: 'phone' },
    ...overrides,
  };
}

/** Registers the transaction, audit and atomically() cases on the store `store()` returns. */
export function activityCases(store: () => Store, f: Fixtures): void {
  it('creates a transaction and updates it only at the expected version', async () => {
    const tx = f.transaction();
    await store().transactions.create(tx);
    assert.deepEqual(await store().transactions.get(tx.id), tx);
    const patch = {
      state: 'allow',
      factor: 'push',
      deviceId: 'DP1',
      reason: 'user_approved',
      data: { n: 1 },
    } as const;
    const updated = await store().transactions.update(tx.id, 1, patch, NOW + 500);
    assert.deepEqual(updated, { ...tx, ...patch, version: 2, updatedAt: NOW + 500 });
    assert.deepEqual(await store().transactions.get(tx.id), updated);
    assert.equal(await store().transactions.update(tx.id, 1, { state: 'deny' }, NOW + 600), null);
    assert.equal((await store().transactions.get(tx.id))?.state, 'allow');
    assert.equal(await store().transactions.update('TXMISSING', 1, { state: 'deny' }, NOW), null);
    assert.equal(await store().transactions.get('TXMISSING'), null);
  });

  it('reads the versions of many transactions at once, leaving out the ones that do not exist', async () => {
    const [a, b] = [f.transaction(), f.transaction()];
    await store().transactions.create(a);
    await store().transactions.create(b);
    await store().transactions.update(b.id, 1, { state: 'deny' }, NOW + 1);
    const versions = await store().transactions.versions([a.id, b.id, 'TXMISSING']);
    assert.deepEqual(
      [...versions].sort(),
      [
        [a.id, 1],
        [b.id, 2],
      ].sort(),
    );
    assert.equal((await store().transactions.versions([])).size, 0);
  });

  it('lets exactly one of 20 parallel updates of one version win', async () => {
    const tx = f.transaction();
    await store().transactions.create(tx);
    const winners = await countWinners(20, (i) =>
      store().transactions.update(tx.id, 1, { reason: 'denied', expiresAt: NOW + i }, NOW + 1),
    );
    assert.equal(winners, 1);
    assert.equal((await store().transactions.get(tx.id))?.version, 2);
  });

  it('issue 15: reads a stored reason this version does not know as unknown_reason, and warns', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      // A newer version's reason, or a hand-edited row: the types cannot say it, the database can hold it.
      const tx = f.transaction({
        state: 'deny',
        reason: 'from_a_newer_version' as Reason,
        userId: 'DUNEWER',
      });
      await store().transactions.create(tx);
      assert.equal((await store().transactions.get(tx.id))?.reason, 'unknown_reason');
      const [listed] = await store().transactions.listRecentForUser('DUNEWER', 0, 10);
      assert.equal(listed?.reason, 'unknown_reason');
      const known = f.transaction({ state: 'deny', reason: 'recent_denial', userId: 'DUNEWER' });
      await store().transactions.create(known);
      assert.equal((await store().transactions.get(known.id))?.reason, 'recent_denial');
      await new Promise((resolve) => setImmediate(resolve));
      const told = warnings.filter((message) => message.includes('from_a_newer_version'));
      assert.equal(told.length, 2, 'each read is reported');
      assert.ok(told.every((message) => message.includes(tx.id)));
    } finally {
      process.off('warning', listen);
    }
  });

  it('purges finished and expired transactions changed before the cut-off', async () => {
    // Times far below NOW so rows of other cases are never in range.
    const oldFinished = f.transaction({ state: 'deny', updatedAt: 1000, expiresAt: 500_000 });
    const oldOpenExpired = f.transaction({ state: 'pushed', updatedAt: 1000, expiresAt: 1500 });
    const oldOpenLive = f.transaction({ state: 'pushed', updatedAt: 1000, expiresAt: 500_000 });
    const recentFinished = f.transaction({ state: 'allow', updatedAt: 3000, expiresAt: 500_000 });
    for (const tx of [oldFinished, oldOpenExpired, oldOpenLive, recentFinished])
      await store().transactions.create(tx);
    assert.equal(await store().transactions.purge(2000), 2);
    assert.equal(await store().transactions.get(oldFinished.id), null);
    assert.equal(await store().transactions.get(oldOpenExpired.id), null);
    assert.ok(await store().transactions.get(oldOpenLive.id));
    assert.ok(await store().transactions.get(recentFinished.id));
  });

  it('tails the audit log: newest entries, oldest first, after an id, by kind', async () => {
    const base = await store().audit.tail({ limit: 1 });
    const afterId = base[0]?.id ?? 0;
    await store().audit.append(entry('first'));
    await store().audit.append(entry('second', { kind: 'admin', actor: 'root', detail: {} }));
    await store().audit.append(entry('third', { at: NOW - 10 }));
    const newest = await store().audit.tail({ limit: 2 });
    assert.deepEqual(
      newest.map((e) => e.action),
      ['second', 'third'],
    );
    const all = await store().audit.tail({ limit: 10, afterId });
    assert.deepEqual(
      all.map((e) => e.action),
      ['first', 'second', 'third'],
    );
    const [first, second] = all;
    assert.ok(first?.id !== undefined && second?.id !== undefined && first.id < second.id);
    assert.deepEqual(first, { ...entry('first'), id: first.id });
    const since = await store().audit.tail({ limit: 10, afterId: first.id });
    assert.deepEqual(
      since.map((e) => e.action),
      ['second', 'third'],
    );
    const admin = await store().audit.tail({ limit: 10, afterId, kind: 'admin' });
    assert.deepEqual(
      admin.map((e) => [e.action, e.actor]),
      [['second', 'root']],
    );
  });

  it('issue 12: counts a query per UTC day and result', async () => {
    const day = 86_400_000;
    // Days far from the other cases' entries, so only these are counted.
    const start = Date.UTC(2001, 0, 1);
    const at = (days: number, ms: number, result: string) =>
      store().audit.append(entry('day-count', { at: start + days * day + ms, result }));
    await at(0, 0, 'success');
    await at(0, day - 1, 'success');
    await at(0, 5, 'deny');
    await at(2, 7, 'success');
    await at(3, 0, 'success');
    const counts = await store().audit.countByDay({
      kind: 'auth',
      actions: ['day-count'],
      from: start,
      to: start + 3 * day - 1,
    });
    assert.deepEqual(
      counts.sort((a, b) => a.day - b.day || String(a.result).localeCompare(String(b.result))),
      [
        { day: start, result: 'deny', count: 1 },
        { day: start, result: 'success', count: 2 },
        { day: start + 2 * day, result: 'success', count: 1 },
      ],
    );
  });

  it('atomically() commits all writes together and returns the result', async () => {
    const user = f.user();
    const device = f.authenticator(user.id);
    const result = await store().atomically(async (repos) => {
      await repos.users.create(user);
      await repos.authenticators.create(device);
      return repos.authenticators.claimTotpStep(device.id, 1, NOW);
    });
    assert.equal(result, true);
    assert.equal((await store().users.get(user.id))?.id, user.id);
    assert.equal((await store().authenticators.get(device.id))?.lastUsedStep, 1);
  });

  it('atomically() rolls back everything when the callback throws', async () => {
    const user = f.user();
    await store().users.create(user);
    const device = f.authenticator(user.id);
    const code = f.bypassCode(user.id);
    await assert.rejects(
      store().atomically(async (repos) => {
        await repos.authenticators.create(device);
        await repos.bypassCodes.create(code);
        await repos.users.update(user.id, { realName: 'Changed' });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store().authenticators.get(device.id), null);
    assert.deepEqual(await store().bypassCodes.listActive(user.id, NOW), []);
    assert.equal((await store().users.get(user.id))?.realName, user.realName);
  });

  it('atomically() rolls back earlier writes when a later one hits a conflict', async () => {
    const taken = f.user();
    await store().users.create(taken);
    const fresh = f.user();
    await assert.rejects(
      store().atomically(async (repos) => {
        await repos.users.create(fresh);
        await repos.users.create(f.user({ username: taken.username }));
      }),
      (e) => isCountersignError(e, 'USER_EXISTS'),
    );
    assert.equal(await store().users.get(fresh.id), null);
    assert.equal(await store().users.findByName(fresh.username), null);
  });

  // SQLite batches concurrent atomically() calls into one database transaction (src/store/group-commit.ts): a
  // failing call must still undo only its own writes, whoever shares its COMMIT.
  it('concurrent atomically() calls: one that throws or conflicts undoes only its own writes', async () => {
    const taken = f.user();
    await store().users.create(taken);
    const users = Array.from({ length: 12 }, () => f.user());
    const outcomes = await Promise.allSettled(
      users.map((user, index) =>
        store().atomically(async (repos) => {
          await repos.users.create(user);
          await repos.bypassCodes.create(f.bypassCode(user.id));
          if (index % 4 === 1) throw new Error(`boom ${index}`);
          // A constraint error in the middle of a shared transaction.
          if (index % 4 === 2) await repos.users.create(f.user({ username: taken.username }));
          return index;
        }),
      ),
    );
    for (const [index, outcome] of outcomes.entries()) {
      const user = users[index]!;
      const stored = await store().users.get(user.id);
      const codes = await store().bypassCodes.listActive(user.id, NOW);
      if (index % 4 === 1) {
        assert.equal(outcome.status, 'rejected');
        assert.match(String((outcome as PromiseRejectedResult).reason), new RegExp(`boom ${index}$`));
      } else if (index % 4 === 2) {
        assert.equal(outcome.status, 'rejected');
        assert.ok(isCountersignError((outcome as PromiseRejectedResult).reason, 'USER_EXISTS'));
      } else {
        assert.deepEqual(outcome, { status: 'fulfilled', value: index });
        assert.equal(stored?.id, user.id, `call ${index} committed its user`);
        assert.equal(codes.length, 1, `call ${index} committed its code`);
        continue;
      }
      assert.equal(stored, null, `call ${index} left no user`);
      assert.deepEqual(codes, [], `call ${index} left no code`);
    }
  });

  it('concurrent atomically() calls each spend a compare-and-set once, across shared transactions', async () => {
    const user = f.user();
    await store().users.create(user);
    const code = f.bypassCode(user.id, { remainingUses: 3 });
    await store().bypassCodes.create(code);
    const spent = await Promise.all(
      Array.from({ length: 10 }, () =>
        store().atomically((repos) => repos.bypassCodes.consume(code.id, NOW)),
      ),
    );
    assert.equal(spent.filter(Boolean).length, 3, 'three uses, spent exactly three times');
  });
}
