// The transaction state machine through the core: finished stays finished, waiters wake, every outcome audited.
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import { beginTransaction, submitPasscode, waitForChange } from '../../src/core/transaction/index.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';
import { tickUntilSettled } from '../support/mock-time.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

async function waiting(ip: string | null = '203.0.113.9') {
  const app = await h.app();
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  const { tx } = await beginTransaction(h.deps, { app, user, ip, factor: null });
  assert.equal(tx.state, 'awaiting_factor');
  return { app, user, tx, code: () => h.totpCode(authenticator, seed) };
}

test('an unknown transaction id is TRANSACTION_NOT_FOUND', async () => {
  await assert.rejects(submitPasscode(h.deps, 'no-such-tx', '123456'), (error) =>
    isCountersignError(error, 'TRANSACTION_NOT_FOUND'),
  );
});

test('waitForChange wakes when another caller moves the transaction', { timeout: 15_000 }, async () => {
  const { tx, code } = await waiting();
  // Move only after the waiter has read the unchanged row, so it must be woken rather than see it at once.
  const { promise: firstRead, resolve } = Promise.withResolvers<void>();
  let reads = 0;
  const store = h.deps.store;
  const watched = {
    ...h.deps,
    store: {
      ...store,
      transactions: {
        ...store.transactions,
        get: async (id: string) => {
          const row = await store.transactions.get(id);
          reads++;
          resolve();
          return row;
        },
      },
    },
  };
  // Mocked timers never fire on their own: no poll or timeout can stand in for the bus waking the waiter.
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const waiter = waitForChange(watched, tx.id, tx.version, 120_000);
    await firstRead;
    const moved = await submitPasscode(h.deps, tx.id, code());
    const seen = await waiter;
    // The announcement carries the row the move committed: the woken waiter does not read it back.
    assert.equal(reads, 1, 'one read before the move, none after the wake-up');
    assert.equal(seen.state, 'allow');
    assert.equal(seen.version, moved.version);
    assert.ok(seen.version > tx.version);
  } finally {
    mock.timers.reset();
  }
});

test('waitForChange returns at once for a version the caller has not seen', async () => {
  const { tx } = await waiting();
  const seen = await waitForChange(h.deps, tx.id, 0, 120_000);
  assert.equal(seen.version, tx.version);
});

test('issue 15: waitForChange ends at its deadline on deps.clock, not on the wall clock', async () => {
  const { tx } = await waiting();
  // Mocked timers: real time stands still, so only the manual clock can bring the deadline.
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const waiter = waitForChange(h.deps, tx.id, tx.version, 120_000);
    assert.equal(await tickUntilSettled(waiter, { stepMs: 2_000, maxTicks: 5 }), false, 'holds before');
    h.clock.advance(120_000);
    assert.equal(await tickUntilSettled(waiter, { stepMs: 2_000 }), true, 'ends once the clock passed it');
    const seen = await waiter;
    assert.deepEqual([seen.state, seen.version], ['awaiting_factor', tx.version]);
  } finally {
    mock.timers.reset();
    h.clock.advance(-120_000);
  }
});

test('issue 14: waiting long polls are checked together, one versions query a sweep, not a read each', async () => {
  const app = await h.app();
  const user = await h.user();
  const txs = [];
  for (let i = 0; i < 200; i++)
    txs.push((await beginTransaction(h.deps, { app, user, ip: null, factor: null })).tx);
  const store = h.deps.store;
  const calls = { get: 0, versions: 0 };
  const counted = {
    ...h.deps,
    store: {
      ...store,
      transactions: {
        ...store.transactions,
        get: (id: string) => {
          calls.get++;
          return store.transactions.get(id);
        },
        versions: (ids: readonly string[]) => {
          calls.versions++;
          return store.transactions.versions(ids);
        },
      },
    },
  };
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const waiters = txs.map((tx) => waitForChange(counted, tx.id, tx.version, 120_000));
    const all = Promise.all(waiters);
    // Five sweeps: before, each waiter read its row every 2 s (1,000 reads); now one look at all 200 each time.
    assert.equal(await tickUntilSettled(all, { stepMs: 2_000, maxTicks: 5 }), false);
    assert.equal(calls.get, 200, 'one read each when they began, none while nothing changed');
    assert.ok(calls.versions >= 4 && calls.versions <= 5, `${calls.versions} sweeps`);
    // A change the bus never told of (another worker, a lost NOTIFY) is found by the next sweep.
    await store.transactions.update(txs[7]!.id, txs[7]!.version, { data: { touched: true } }, h.clock.now());
    const changed = waiters[7]!;
    assert.equal(await tickUntilSettled(changed, { stepMs: 2_000, maxTicks: 2 }), true);
    assert.equal((await changed).version, txs[7]!.version + 1);
    h.clock.advance(120_000);
    assert.equal(
      await tickUntilSettled(all, { stepMs: 2_000, maxTicks: 2 }),
      true,
      'the rest end at the deadline',
    );
  } finally {
    mock.timers.reset();
    h.clock.advance(-120_000);
  }
});

test('a passcode after the transaction expired moves it to timeout', async () => {
  const { tx, code } = await waiting();
  h.clock.advance(5 * 60_000);
  try {
    const late = await submitPasscode(h.deps, tx.id, code());
    assert.equal(late.state, 'timeout');
  } finally {
    h.clock.advance(-5 * 60_000);
  }
});

test('every finished authentication is audited with user, application, factor, result, reason and IP', async () => {
  const allowed = await waiting('203.0.113.1');
  await submitPasscode(h.deps, allowed.tx.id, allowed.code());
  const denied = await waiting('203.0.113.2');
  await submitPasscode(h.deps, denied.tx.id, '000000');
  const oneShot = await waiting('203.0.113.3');
  await h.login(oneShot.user, oneShot.app, oneShot.code(), '203.0.113.3');
  const disabled = await h.user({ status: 'disabled' });
  const app = await h.app();
  await beginTransaction(h.deps, { app, user: disabled, ip: '203.0.113.4', factor: 'push' });

  const entries = await h.deps.store.audit.tail({ limit: 1000, kind: 'auth' });
  const find = (ip: string) =>
    entries.filter((entry) => entry.action === 'authentication' && entry.ip === ip);
  const [allowEntry] = find('203.0.113.1');
  assert.ok(allowEntry);
  assert.equal(allowEntry.userId, allowed.user.id);
  assert.equal(allowEntry.username, allowed.user.username);
  assert.equal(allowEntry.applicationId, allowed.app.id);
  assert.equal(allowEntry.factor, 'passcode');
  assert.equal(allowEntry.result, 'success');
  assert.equal(allowEntry.reason, 'valid_passcode');
  assert.equal(allowEntry.detail.txid, allowed.tx.id);

  const [denyEntry] = find('203.0.113.2');
  assert.equal(denyEntry?.result, 'deny');
  assert.equal(denyEntry?.reason, 'invalid_passcode');
  assert.equal(denyEntry?.userId, denied.user.id);

  assert.equal(find('203.0.113.3').length, 1, 'a one-shot passcode login is audited once');
  assert.equal(find('203.0.113.3')[0]?.result, 'success');

  const [policyEntry] = find('203.0.113.4');
  assert.equal(policyEntry?.result, 'deny');
  assert.equal(policyEntry?.reason, 'user_disabled');
  assert.equal(policyEntry?.factor, 'push');
  assert.equal(policyEntry?.username, disabled.username);
  assert.equal(policyEntry?.applicationId, app.id);
});

test('a transaction still waiting for a factor is not audited yet', async () => {
  const { tx } = await waiting('203.0.113.50');
  const entries = await h.deps.store.audit.tail({ limit: 1000, kind: 'auth' });
  assert.equal(
    entries.filter((entry) => entry.detail.txid === tx.id).length,
    0,
    'only final states are audited',
  );
});
