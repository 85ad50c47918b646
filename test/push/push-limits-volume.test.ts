// Push-fatigue limits under volume: hundreds of refused requests must not move any rule (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthApiError } from '../../src/client/auth-api-error.ts';
import { SUMMARY_INTERVAL_MS, summarisePendingRefusals } from '../../src/core/limits/start-limits.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { type PushWorld, startPushWorld } from './harness.ts';

const MINUTE = 60_000;
const VOLUME = 600;

/** The outcome of one push request: the transaction's state and reason, or the Auth API error code. */
async function attempt(world: PushWorld, username: string, params: Record<string, string> = {}) {
  try {
    const tx = await world.tx(await world.push(username, params));
    return tx.state === 'pushed' ? 'pushed' : `${tx.state}:${tx.reason}`;
  } catch (error) {
    if (error instanceof AuthApiError) return `http:${error.httpStatus}/${error.code}`;
    throw error;
  }
}

/** `VOLUME` push requests for `username`, `parallel` at a time, the clock moving `stepMs` per batch. */
async function flood(
  world: PushWorld,
  username: string,
  options: { parallel: number; stepMs: number; params?: Record<string, string> },
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let sent = 0; sent < VOLUME; sent += options.parallel) {
    // Each request differs (a replayed identical request is refused before any limit is looked at: issue 9.3).
    const batch = Array.from({ length: Math.min(options.parallel, VOLUME - sent) }, (_, i) =>
      attempt(world, username, { pushinfo: `attempt=${sent + i}`, ...options.params }),
    );
    for (const outcome of await Promise.all(batch)) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    world.clock.advance(options.stepMs);
  }
  return counts;
}

/** Login rate limits off: the push rules alone must hold, whatever the number of refused requests. */
const NO_RATE_LIMITS = { 'limits.logins_per_user_per_minute': 0, 'limits.logins_per_address_per_minute': 0 };

/** One suite on a fresh database: SQLite in the world's data directory, or a new PostgreSQL database. */
function suite(pgServer: string | undefined, options: { rateLimits: boolean }) {
  const label = `${pgServer ? 'PostgreSQL' : 'SQLite'}, ${options.rateLimits ? 'default rate limits' : 'no rate limits'}`;
  describe(`issue 9.1: push limits under volume (${label})`, () => {
    let world: PushWorld;
    let database: TestDatabase | undefined;
    before(async () => {
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      world = await startPushWorld({
        ...(database && { databaseUrl: database.url }),
        ...(!options.rateLimits && { config: NO_RATE_LIMITS }),
      });
    });
    after(async () => {
      await world?.close();
      await database?.drop();
    });

    test(`issue 9.1: the fraud pause holds through ${VOLUME} refused requests`, async () => {
      const { device } = await world.enroll('fiona');
      const txid = await world.push('fiona');
      assert.equal(await device.deny(txid, { fraud: true }), 'fraud');
      const before = world.notices.deviceRequests.length;
      const outcomes = await flood(world, 'fiona', { parallel: 20, stepMs: 100 });
      assert.equal(outcomes.get('pushed') ?? 0, 0, `no push during the pause: ${[...outcomes]}`);
      assert.equal(world.notices.deviceRequests.length, before, 'no device was woken');
      assert.deepEqual(await device.pending(), []);
      // Still inside the 20 minutes (the flood took a minute of the frozen clock): one more try is refused.
      world.clock.advance(10 * MINUTE);
      assert.equal(await attempt(world, 'fiona'), 'deny:fraud_pause');
    });

    test(`issue 9.1: ${VOLUME} requests in parallel leave at most one push outstanding`, async () => {
      const { device } = await world.enroll('oscar');
      const outcomes = await flood(world, 'oscar', { parallel: 50, stepMs: 10 });
      assert.equal(outcomes.get('pushed'), 1, `exactly one push went out: ${[...outcomes]}`);
      assert.equal((await device.pending()).length, 1);
    });

    test(`issue 9.1: the cap since the last success holds through ${VOLUME} requests`, async () => {
      const { device } = await world.enroll('petra');
      let pushed = 0;
      // Each push is denied on the device at once, so "one outstanding" never refuses: only the cap can.
      for (let i = 0; i < VOLUME; i++) {
        const outcome = await attempt(world, 'petra', { factor: 'push', pushinfo: `attempt=${i}` });
        if (outcome === 'pushed') {
          pushed++;
          const [request] = await device.pending();
          assert.ok(request);
          assert.equal(await device.deny(request.txid), 'deny');
        }
        world.clock.advance(500);
      }
      // 600 requests over 5 minutes of the clock: the cap is 5 pushes per 10 minutes.
      assert.equal(pushed, 5);
    });

    // Without rate limits each start is a transaction with its own audit row: nothing to summarise.
    if (!options.rateLimits) return;
    test('issue 9.1: refusals are summarised in the audit log, and the count is kept', async () => {
      const { userId } = await world.enroll('quinn');
      const before = (await world.audit('auth')).filter((entry) => entry.userId === userId).length;
      const outcomes = await flood(world, 'quinn', { parallel: 50, stepMs: 10 });
      // The last refusals are summarised by the once-a-minute sweep even when no further attempt comes.
      world.clock.advance(SUMMARY_INTERVAL_MS);
      await summarisePendingRefusals(world.deps);
      const entries = (await world.audit('auth')).filter((entry) => entry.userId === userId).slice(before);
      assert.ok(entries.length < 60, `${entries.length} audit rows for ${VOLUME} requests`);
      const counted = entries.reduce((sum, entry) => sum + Number(entry.detail.count ?? 1), 0);
      const finished = [...outcomes].filter(([outcome]) => outcome !== 'pushed');
      assert.equal(
        counted,
        finished.reduce((sum, [, n]) => sum + n, 0),
        'every refusal is counted in some audit row',
      );
    });
  });
}

for (const rateLimits of [true, false]) suite(undefined, { rateLimits });
const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('issue 9.1: push limits under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  for (const rateLimits of [true, false]) suite(pgServer, { rateLimits });
}
