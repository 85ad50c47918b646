// The telephony gate: off by default, E.164 only, per-user and global limits and the daily budget under volume,
// provider failures refunded, every send in the telephony log. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { buildConfig } from '../../src/config.ts';
import { type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import { type CountersignError, isCountersignError } from '../../src/core/errors.ts';
import { summarisePendingRefusals } from '../../src/core/limits/start-limits.ts';
import type { Store } from '../../src/core/repositories.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createProvider, telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import { createTelephony, type Telephony } from '../../src/telephony/telephony.ts';
import { budgetDay } from '../../src/telephony/telephony-limits.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';

const HOUR = 3_600_000;
/** 2026-03-02 22:00 UTC: two hours before the budget's day turns. */
const START = Date.UTC(2026, 2, 2, 22, 0, 0);
const GSM_160 = 'x'.repeat(160);

interface World {
  store: Store;
  clock: ManualClock;
  dataDir: string;
  warnings: string[];
  /** Telephony on this world's store with `toml` lines under `[telephony]` (enabled, outbox, unless replaced). */
  telephony(lines?: string[]): Telephony;
}

/** The error `promise` rejects with; fails when it resolves. */
async function refusal(promise: Promise<unknown>): Promise<CountersignError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isCountersignError(error), `expected a CountersignError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

/** How many of `sends` were accepted, and the error codes of the rest. */
async function tally(sends: Array<Promise<unknown>>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const outcome of await Promise.allSettled(sends)) {
    const key =
      outcome.status === 'fulfilled'
        ? 'sent'
        : isCountersignError(outcome.reason)
          ? outcome.reason.code
          : String(outcome.reason);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function suite(pgServer: string | undefined): void {
  describe(`issue 13: telephony limits and budget (${pgServer ? 'PostgreSQL' : 'SQLite'})`, () => {
    let world: World;
    let database: TestDatabase | undefined;
    let users: string[];

    before(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'countersign-telephony-'));
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      const store = await openStore(
        database ? { url: database.url } : { sqlitePath: join(dataDir, 'countersign.db') },
      );
      const clock = manualClock(START);
      const warnings: string[] = [];
      world = {
        store,
        clock,
        dataDir,
        warnings,
        telephony(lines = []) {
          const config = buildConfig(
            [`data_dir = ${JSON.stringify(dataDir)}`, '[telephony]', 'enabled = true', ...lines].join('\n'),
            {},
          );
          return createTelephony({
            organization: 'Countersign',
            deps: {
              store,
              clock,
              random: secureRandom,
              log: { warn: (_d, message) => warnings.push(message) },
            },
            settings: config.telephony,
            provider: createProvider({ config, clock }),
          });
        },
      };
      users = [];
      for (let i = 0; i < 3; i++) {
        const id = `DUTEL${i}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
        await store.users.create({
          id,
          username: `tel-${id.toLowerCase()}`,
          aliases: [],
          realName: null,
          email: null,
          phone: '+15551230000',
          groups: [],
          status: 'active',
          passwordHash: null,
          directory: null,
          failedAttempts: 0,
          lockedAt: null,
          createdAt: START,
          lastLoginAt: null,
          notes: null,
        });
        users.push(id);
      }
    });
    after(async () => {
      await world.store.close();
      await database?.drop();
      await rm(world.dataDir, { recursive: true, force: true });
    });
    afterEach(() => {
      // Every case starts at 22:00 UTC on a fresh day: the budget and limits of the previous one are behind it.
      const day = Math.floor(world.clock.now() / (24 * HOUR)) * 24 * HOUR;
      world.clock.set(day + 24 * HOUR + 22 * HOUR);
    });

    test('off by default: nothing is sent or logged', async () => {
      const config = buildConfig(`data_dir = ${JSON.stringify(world.dataDir)}`, {});
      assert.equal(config.telephony.enabled, false);
      const telephony = createTelephony({
        organization: 'Countersign',
        deps: { store: world.store, clock: world.clock, random: secureRandom, log: { warn() {} } },
        settings: config.telephony,
        provider: createProvider({ config, clock: world.clock }),
      });
      assert.equal(telephony.enabled, false);
      const error = await refusal(
        telephony.sendSms({ userId: users[0]!, to: '+15551234567', text: 'code', context: 'authentication' }),
      );
      assert.equal(error.code, 'TELEPHONY_DISABLED');
      assert.deepEqual(await world.store.telephony.list({ mintime: world.clock.now(), limit: 10 }), []);
    });

    test('bad numbers and texts are refused before anything is counted', async () => {
      const telephony = world.telephony(['per_user_per_hour = 1']);
      for (const to of ['5551234567', '+0551234567', '+1555', '+1 555 123 4567', '+1555123456789012']) {
        const error = await refusal(
          telephony.sendSms({ userId: users[0]!, to, text: 'hi', context: 'authentication' }),
        );
        assert.equal(error.code, 'INVALID_INPUT', to);
      }
      for (const text of ['', 'x'.repeat(1_531)]) {
        const error = await refusal(
          telephony.sendSms({ userId: users[0]!, to: '+15551234567', text, context: 'authentication' }),
        );
        assert.equal(error.code, 'INVALID_INPUT');
      }
      // The single allowed send of the hour is still there.
      await telephony.sendSms({
        userId: users[0]!,
        to: '+15551234567',
        text: 'hi',
        context: 'authentication',
      });
    });

    test('an SMS is charged per segment and a call per minute of its time limit, and both are logged', async () => {
      const telephony = world.telephony([
        'sms_credits = 2',
        'call_credits_per_minute = 5',
        'call_time_limit_seconds = 90',
      ]);
      const now = world.clock.now();
      const sms = await telephony.sendSms({
        userId: users[0]!,
        to: '+15551234567',
        text: `${GSM_160}y`,
        context: 'enrollment',
      });
      assert.equal(sms.credits, 4, 'two segments of 2 credits');
      world.clock.advance(1);
      const call = await telephony.placeCall({
        userId: users[1]!,
        to: '+442071234567',
        script: { organization: 'Example', application: 'VPN' },
        context: 'authentication',
      });
      assert.equal(call.credits, 10, '90 s is charged as 2 minutes of 5 credits');
      assert.deepEqual(await world.store.telephony.list({ mintime: now, limit: 10 }), [
        {
          id: sms.id,
          at: now,
          context: 'enrollment',
          type: 'sms',
          phone: '+15551234567',
          credits: 4,
          userId: users[0]!,
          provider: 'outbox',
          providerRef: null,
          status: 'sent',
        },
        {
          id: call.id,
          at: now + 1,
          context: 'authentication',
          type: 'phone',
          phone: '+442071234567',
          credits: 10,
          userId: users[1]!,
          provider: 'outbox',
          providerRef: null,
          status: 'sent',
        },
      ]);
      assert.equal(await world.store.telephony.creditsSpent(budgetDay(now)), 14);
      const files = await readdir(telephonyOutboxDir({ data_dir: world.dataDir }));
      assert.ok(files.some((name) => name.includes(sms.id)) && files.some((name) => name.includes(call.id)));
    });

    test('per user: 400 sends at once for one user pass exactly per_user_per_hour, then one per interval', async () => {
      const telephony = world.telephony(['per_user_per_hour = 6', 'global_per_minute = 0']);
      const send = (userId: string) =>
        telephony.sendSms({ userId, to: '+15551234567', text: 'code', context: 'authentication' });
      const counts = await tally(Array.from({ length: 400 }, () => send(users[0]!)));
      assert.deepEqual(Object.fromEntries(counts), { sent: 6, TELEPHONY_LIMITED: 394 });
      const error = await refusal(send(users[0]!));
      assert.ok(
        error.retryAfterMs! > 0 && error.retryAfterMs! <= 10 * 60_000,
        `retry after ${error.retryAfterMs}`,
      );
      await send(users[1]!); // another user is not held back
      world.clock.advance(10 * 60_000); // one interval of an hour / 6
      const next = await tally(Array.from({ length: 50 }, () => send(users[0]!)));
      assert.deepEqual(Object.fromEntries(next), { sent: 1, TELEPHONY_LIMITED: 49 });
    });

    test('global: 300 sends at once for many users pass exactly global_per_minute', async () => {
      const telephony = world.telephony(['per_user_per_hour = 0', 'global_per_minute = 40']);
      const counts = await tally(
        Array.from({ length: 300 }, (_, i) =>
          telephony.sendSms({
            userId: i % 2 === 0 ? null : users[i % 3]!,
            to: '+15551234567',
            text: 'code',
            context: 'authentication',
          }),
        ),
      );
      assert.deepEqual(Object.fromEntries(counts), { sent: 40, TELEPHONY_LIMITED: 260 });
    });

    test('budget: 500 sends at once never spend past the day, and the next UTC day starts afresh', async () => {
      const telephony = world.telephony([
        'per_user_per_hour = 0',
        'global_per_minute = 0',
        'sms_credits = 3',
        'daily_credit_budget = 100',
      ]);
      const day = budgetDay(world.clock.now());
      const send = () =>
        telephony.sendSms({ userId: users[2]!, to: '+15551234567', text: 'code', context: 'authentication' });
      const counts = await tally(Array.from({ length: 500 }, send));
      assert.deepEqual(Object.fromEntries(counts), { sent: 33, TELEPHONY_BUDGET_EXCEEDED: 467 });
      assert.equal(await world.store.telephony.creditsSpent(day), 99);
      const error = await refusal(send());
      assert.equal(error.retryAfterMs, 2 * HOUR, 'until midnight UTC');
      assert.match(error.detail ?? '', /budget \(100\).*99 spent today, this send costs 3/);
      const sent = await world.store.telephony.list({ mintime: world.clock.now(), limit: 1000 });
      assert.equal(sent.length, 33, 'refused sends are not in the log: nothing left');
      world.clock.advance(2 * HOUR);
      await send();
      assert.equal(await world.store.telephony.creditsSpent(budgetDay(world.clock.now())), 3);
    });

    test('a provider failure gives the credits back and is logged as failed', async () => {
      let answer = 500;
      const gateway: Server = createServer((request, response) => {
        request.resume();
        request.on('end', () => response.writeHead(answer).end('gateway says no'));
      });
      await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
        const telephony = world.telephony([
          'provider = "webhook"',
          'daily_credit_budget = 10',
          '[telephony.webhook]',
          `url = ${JSON.stringify(url)}`,
        ]);
        const now = world.clock.now();
        const send = () =>
          telephony.sendSms({
            userId: users[0]!,
            to: '+15551234567',
            text: 'code',
            context: 'authentication',
          });
        const error = await refusal(send());
        assert.equal(error.code, 'TELEPHONY_FAILED');
        assert.match(error.detail ?? '', /HTTP 500: gateway says no/);
        assert.equal(await world.store.telephony.creditsSpent(budgetDay(now)), 0);
        const [failed] = await world.store.telephony.list({ mintime: now, limit: 10 });
        assert.deepEqual(
          { status: failed?.status, credits: failed?.credits, provider: failed?.provider },
          { status: 'failed', credits: 0, provider: 'webhook' },
        );
        assert.ok(world.warnings.includes('telephony provider failed'));
        answer = 202;
        await send();
        assert.equal(await world.store.telephony.creditsSpent(budgetDay(now)), 1);
      } finally {
        await new Promise<void>((resolve) => gateway.close(() => resolve()));
      }
    });

    test('refusals are summarised in the audit log as telephony limits', async () => {
      const telephony = world.telephony(['per_user_per_hour = 1', 'global_per_minute = 0']);
      const send = () =>
        telephony.sendSms({ userId: users[1]!, to: '+15551234567', text: 'code', context: 'authentication' });
      await tally(Array.from({ length: 30 }, send));
      world.clock.advance(61_000);
      await summarisePendingRefusals({ store: world.store, clock: world.clock });
      const rows = await world.store.audit.tail({ limit: 20 });
      const row = rows.find(
        (entry) => entry.action === 'telephony.rate_limited' && entry.userId === users[1],
      );
      assert.ok(row, 'a telephony summary row');
      assert.equal(row.reason, 'too_many_messages_for_user');
      assert.equal(row.detail.count, 29);
    });

    test('a provider that cannot call refuses calls before anything is counted', async () => {
      const telephony = world.telephony([
        'provider = "kannel"',
        '[telephony.kannel]',
        'username = "countersign"',
        'password = "x"',
      ]);
      assert.equal(telephony.canCall, false);
      const error = await refusal(
        telephony.placeCall({
          userId: users[0]!,
          to: '+15551234567',
          script: { organization: 'Example', application: 'VPN' },
          context: 'authentication',
        }),
      );
      assert.equal(error.code, 'TELEPHONY_DISABLED');
      assert.match(error.detail ?? '', /kannel provider places no calls/);
    });
  });
}

suite(undefined);
const pg = testPgUrl();
if (pg) suite(pg);
else test('telephony limits on PostgreSQL', { skip: PG_SKIP_MESSAGE }, () => {});
