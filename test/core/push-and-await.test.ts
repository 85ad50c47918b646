// pushAndAwait, the core's one "push and wait": ends when the login is decided (here or on another node), at its
// deadline on deps.clock, when the push expires, or when the caller goes away. Real time never ends a wait here.
// Also: a push's answer goes through the same decision as every factor's (answerFactor).
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser, setUserStatus } from '../../src/core/admin/create-user.ts';
import { type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { activateDevice } from '../../src/core/enrollment/activate-device.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import type { EventBus } from '../../src/core/events.ts';
import { NO_START_LIMITS } from '../../src/core/limits/start-limits.ts';
import type { Application, AuthTransaction } from '../../src/core/model.ts';
import { silentNotifier } from '../../src/core/notify.ts';
import { localPrimaryAuth } from '../../src/core/primary-auth.ts';
import type { Store } from '../../src/core/repositories.ts';
import {
  answerFactor,
  beginTransaction,
  pushAndAwait,
  startFactor,
} from '../../src/core/transaction/index.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import {
  answerSigningString,
  type DeviceKey,
  exportPublicKey,
  generateDeviceKeyPair,
  signText,
} from '../../src/device-protocol/signing.ts';
import { openStore } from '../../src/store/open-store.ts';
import { postgresBus } from '../../src/store/pg-event-bus.ts';
import { telephonyOff } from '../../src/telephony/telephony.ts';
import { createTestDatabase, type TestDatabase, testPgUrl } from '../store/pg-test-database.ts';
import { FROZEN_START, openCoreHarness } from '../support/core.ts';
import { tickUntilSettled } from '../support/mock-time.ts';

/** The push's re-read period in the core: one tick of the mocked timers fires one re-read. */
const POLL_MS = 2_000;
const PUSH = { device: 'auto', automatic: false, canShowCode: false } as const;

/** A node of the cluster: the core's dependencies on a store and a bus, on a shared manual clock. */
function node(store: Store, bus: EventBus, clock: ManualClock, ring = newKeyRing(secureRandom)): CoreDeps {
  return {
    store,
    bus,
    clock,
    random: secureRandom,
    ring,
    primary: localPrimaryAuth,
    notify: silentNotifier,
    limits: NO_START_LIMITS,
    telephony: telephonyOff(),
  };
}

/** `deps` whose transaction reads are counted, resolving `firstRead` on the first one. */
function counted(deps: CoreDeps) {
  const { promise: firstRead, resolve } = Promise.withResolvers<void>();
  const counter = { reads: 0, firstRead };
  const { store } = deps;
  const transactions = {
    ...store.transactions,
    get: async (id: string) => {
      const row = await store.transactions.get(id);
      counter.reads++;
      resolve();
      return row;
    },
  };
  return { deps: { ...deps, store: { ...store, transactions } }, counter };
}

let serial = 0;
/** A user with an activated push device and a transaction waiting for a factor. */
async function waitingLogin(deps: CoreDeps, app: Application) {
  const user = await createUser(deps, 'test', { username: `pusher${++serial}` });
  const { code } = await createActivation(deps, 'test', user);
  const keys = await generateDeviceKeyPair(false);
  const { device } = await activateDevice(deps, {
    code,
    publicKey: await exportPublicKey(keys.publicKey),
    name: 'Phone',
    pushSubscription: null,
  });
  const { tx } = await beginTransaction(deps, { app, user, ip: '198.51.100.7', factor: 'push' });
  assert.equal(tx.state, 'awaiting_factor');
  return { tx, deviceId: device.id, key: keys.privateKey };
}

/** The device's signed approval of `txid`. */
async function approval(key: DeviceKey, deviceId: string, txid: string, signedAt: number) {
  const signature = await signText(key, answerSigningString(txid, 'approve', '', signedAt));
  return { deviceId, decision: 'approve' as const, code: '', signedAt, signature };
}

/** Holds while the mocked timers tick, then ends once the manual clock passes `advanceMs`. */
async function endsOnlyOnClock(clock: ManualClock, waiter: Promise<AuthTransaction>, advanceMs: number) {
  assert.equal(await tickUntilSettled(waiter, { stepMs: POLL_MS, maxTicks: 5 }), false, 'holds meanwhile');
  clock.advance(advanceMs);
  assert.equal(await tickUntilSettled(waiter, { stepMs: POLL_MS }), true, 'ends once the clock moved');
  return waiter;
}

describe('pushAndAwait on one node', () => {
  let h: Awaited<ReturnType<typeof openCoreHarness>>;
  let app: Application;
  before(async () => {
    h = await openCoreHarness();
    app = (await createApplication(h.deps, 'test', { name: 'push-and-await', type: 'auth-api' })).app;
  });
  after(() => h.close());

  test('issue 15: maxMs is measured on deps.clock: the wait ends there with the push still out', async () => {
    const { tx } = await waitingLogin(h.deps, app);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const waiter = pushAndAwait(h.deps, tx.id, { ...PUSH, maxMs: 30_000 });
      const seen = await endsOnlyOnClock(h.clock, waiter, 30_000);
      assert.equal(seen.state, 'pushed');
    } finally {
      mock.timers.reset();
    }
  });

  test('issue 15: without maxMs the push expiry ends the wait, and the login times out', async () => {
    const { tx } = await waitingLogin(h.deps, app);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const waiter = pushAndAwait(h.deps, tx.id, PUSH);
      // The default push timeout is 60 s (policy push_timeout_seconds).
      const seen = await endsOnlyOnClock(h.clock, waiter, 60_000);
      assert.deepEqual([seen.state, seen.reason], ['timeout', 'timeout']);
    } finally {
      mock.timers.reset();
    }
  });

  test('issue 15: an abort ends the wait at once; the push stays out and can still be answered', async () => {
    const { tx, deviceId, key } = await waitingLogin(h.deps, app);
    const { deps, counter } = counted(h.deps);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const abort = new AbortController();
      const waiter = pushAndAwait(deps, tx.id, { ...PUSH, signal: abort.signal });
      await counter.firstRead;
      abort.abort();
      assert.equal((await waiter).state, 'pushed');
    } finally {
      mock.timers.reset();
    }
    const answer = await approval(key, deviceId, tx.id, h.clock.now());
    const answered = await answerFactor(h.deps, tx.id, 'push', answer);
    assert.equal(answered.state, 'allow');
  });

  test('issue 15: a push that cannot start throws and waits for nothing', async () => {
    const user = await createUser(h.deps, 'test', { username: 'no-device' });
    await h.totp(user);
    const { tx } = await beginTransaction(h.deps, { app, user, ip: null, factor: 'push' });
    await assert.rejects(pushAndAwait(h.deps, tx.id, PUSH), (error) =>
      isCountersignError(error, 'NO_CAPABLE_DEVICE'),
    );
  });
});

describe('answers to a push', () => {
  let h: Awaited<ReturnType<typeof openCoreHarness>>;
  let app: Application;
  before(async () => {
    h = await openCoreHarness();
    app = (await createApplication(h.deps, 'test', { name: 'push-answers', type: 'auth-api' })).app;
  });
  after(() => h.close());

  test('issue 15: an approval for a user locked out since the push went out ends locked_out, as a passcode would', async () => {
    const { tx, deviceId, key } = await waitingLogin(h.deps, app);
    await startFactor(h.deps, tx.id, 'push', PUSH);
    const user = await h.deps.store.users.get(tx.userId);
    assert.ok(user);
    await setUserStatus(h.deps, 'test', user, 'locked_out');
    const answered = await answerFactor(
      h.deps,
      tx.id,
      'push',
      await approval(key, deviceId, tx.id, h.clock.now()),
    );
    assert.deepEqual(
      [answered.state, answered.reason, answered.factor],
      ['locked_out', 'locked_out', 'push'],
    );
  });

  test('issue 15: an approval records its proof: the factor, the device that signed it, user_approved', async () => {
    const { tx, deviceId, key } = await waitingLogin(h.deps, app);
    await startFactor(h.deps, tx.id, 'push', PUSH);
    const answered = await answerFactor(
      h.deps,
      tx.id,
      'push',
      await approval(key, deviceId, tx.id, h.clock.now()),
    );
    assert.deepEqual(
      [answered.state, answered.factor, answered.deviceId, answered.reason],
      ['allow', 'push', deviceId, 'user_approved'],
    );
  });
});

/**
 * Node B answers the push node A waits for; A's timers are mocked, so only a bus message can wake it. `readsAfterWake`:
 * 0 when the message reaches A in process with the row B committed, 1 when it crossed nodes (A reads the store).
 */
async function answeredOnAnotherNode(a: CoreDeps, b: CoreDeps, clock: ManualClock, readsAfterWake: 0 | 1) {
  const app = (await createApplication(a, 'test', { name: `two-nodes${++serial}`, type: 'auth-api' })).app;
  const { tx, deviceId, key } = await waitingLogin(a, app);
  const watched = counted(a);
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const waiter = pushAndAwait(watched.deps, tx.id, PUSH);
    await watched.counter.firstRead;
    const answered = await answerFactor(b, tx.id, 'push', await approval(key, deviceId, tx.id, clock.now()));
    const seen = await waiter;
    assert.equal(watched.counter.reads, 1 + readsAfterWake, 'one read before the answer');
    assert.deepEqual([seen.state, seen.version], ['allow', answered.version]);
  } finally {
    mock.timers.reset();
  }
}

test('issue 15: a push answered on another node wakes the waiter through the bus (SQLite, one bus)', {
  timeout: 60_000,
}, async () => {
  const h = await openCoreHarness();
  // A second connection to the same database file; one process, so one in-process bus carries the message.
  const storeB = await openStore({ sqlitePath: h.sqlitePath });
  try {
    // The message carries the row B committed: A answers from it without reading the store again.
    await answeredOnAnotherNode(h.deps, node(storeB, h.deps.bus, h.clock, h.deps.ring), h.clock, 0);
  } finally {
    await storeB.close();
    await h.close();
  }
});

const pgServer = testPgUrl();
test('issue 15: a push answered on another node wakes the waiter through the bus (PostgreSQL, LISTEN/NOTIFY)', {
  skip: pgServer === undefined && 'COUNTERSIGN_TEST_PG not set',
}, async () => {
  const database: TestDatabase = await createTestDatabase(pgServer!);
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const clock = manualClock(FROZEN_START);
    const ring = newKeyRing(secureRandom);
    const [storeA, storeB] = [await openStore({ url: database.url }), await openStore({ url: database.url })];
    const [busA, busB] = [await postgresBus(database.url), await postgresBus(database.url)];
    opened.push(busA, busB, storeA, storeB);
    // NOTIFY carries no row: A reads what B committed.
    await answeredOnAnotherNode(node(storeA, busA, clock, ring), node(storeB, busB, clock, ring), clock, 1);
  } finally {
    for (const resource of opened) await resource.close();
    await database.drop();
  }
});
