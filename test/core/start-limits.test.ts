// How fast logins may be started, per user and per address, under volume and in parallel (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser } from '../../src/core/admin/create-user.ts';
import { manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import { inProcessBus } from '../../src/core/events.ts';
import type { StartLimits } from '../../src/core/limits/start-limits.ts';
import type { Application, User } from '../../src/core/model.ts';
import { silentNotifier } from '../../src/core/notify.ts';
import { localPrimaryAuth } from '../../src/core/primary-auth.ts';
import type { Store } from '../../src/core/repositories.ts';
import { beginTransaction } from '../../src/core/transaction/index.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { openStore } from '../../src/store/open-store.ts';
import { telephonyOff } from '../../src/telephony/telephony.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';

const MINUTE = 60_000;
const ATTEMPTS = 400;

function cases(open: () => Promise<Store>) {
  let store: Store;
  let app: Application;
  const clock = manualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const deps = (limits: StartLimits): CoreDeps => ({
    store,
    bus: inProcessBus(),
    clock,
    random: secureRandom,
    ring: newKeyRing(secureRandom),
    primary: localPrimaryAuth,
    notify: silentNotifier,
    limits,
    telephony: telephonyOff(),
  });
  let serial = 0;
  const user = (): Promise<User> => createUser(deps(NO_LIMITS), 'test', { username: `starter${++serial}` });

  before(async () => {
    store = await open();
    ({ app } = await createApplication(deps(NO_LIMITS), 'test', { name: 'limits', type: 'auth-api' }));
  });
  after(() => store.close());

  /** Starts `count` logins, 50 at a time; returns how many were admitted, checking every refusal's words. */
  async function start(limits: StartLimits, count: number, who: (i: number) => { user: User; ip: string }) {
    let admitted = 0;
    for (let sent = 0; sent < count; sent += 50) {
      const batch = Array.from({ length: Math.min(50, count - sent) }, (_, i) => {
        const { user, ip } = who(sent + i);
        return beginTransaction(deps(limits), { app, user, ip, factor: null }).then(
          () => true,
          (error: unknown) => {
            assert.ok(isCountersignError(error, 'RATE_LIMITED'), String(error));
            assert.ok((error.retryAfterMs ?? 0) > 0, 'a refusal says when to try again');
            return false;
          },
        );
      });
      admitted += (await Promise.all(batch)).filter(Boolean).length;
    }
    return admitted;
  }

  test(`issue 15: ${ATTEMPTS} starts for one user from as many addresses: the per-user limit admits its burst, then its rate`, async () => {
    const target = await user();
    const limits = { perUserPerMinute: 5, perAddressPerMinute: 0 };
    const who = (i: number) => ({ user: target, ip: `198.51.${Math.floor(i / 250)}.${i % 250}` });
    assert.equal(await start(limits, ATTEMPTS, who), 5);
    clock.advance(MINUTE);
    assert.equal(await start(limits, ATTEMPTS, who), 5, 'a minute later, one minute of starts again');
    const other = await user();
    assert.equal(
      await start(limits, 1, () => ({ user: other, ip: '198.51.9.9' })),
      1,
      'other users unaffected',
    );
  });

  test(`issue 15: ${ATTEMPTS} starts from one address for as many users: the per-address limit admits its burst`, async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => user()));
    const limits = { perUserPerMinute: 0, perAddressPerMinute: 8 };
    assert.equal(
      await start(limits, ATTEMPTS, (i) => ({ user: users[i % users.length]!, ip: '203.0.113.50' })),
      8,
    );
  });

  test('a limit of 0 is off', async () => {
    const target = await user();
    assert.equal(await start(NO_LIMITS, 200, () => ({ user: target, ip: '203.0.113.60' })), 200);
  });
}

const NO_LIMITS: StartLimits = { perUserPerMinute: 0, perAddressPerMinute: 0 };

describe('SQLite', () => cases(() => openStore({ sqlitePath: ':memory:' })));

const serverUrl = testPgUrl();
describe('PostgreSQL', { skip: serverUrl === undefined ? PG_SKIP_MESSAGE : false }, () => {
  let database: TestDatabase | undefined;
  before(async () => {
    if (serverUrl) database = await createTestDatabase(serverUrl);
  });
  after(() => database?.drop());
  cases(async () => openStore({ url: database!.url }));
});
