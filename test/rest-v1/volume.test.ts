// REST v1 under volume: the login limit holds for hundreds of parallel requests, and every refusal is a denial.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { signedV1 } from './wire.ts';
import { type DuoUnixWorld, startDuoUnixWorld } from './world.ts';

const VOLUME = 400;
const PARALLEL = 40;
/** `limits.logins_per_user_per_minute`'s default: what one user may start with the clock standing still. */
const PER_USER = 20;

function cases(database: () => Promise<{ url?: string; drop(): Promise<void> }>) {
  let world: DuoUnixWorld;
  let db: { url?: string; drop(): Promise<void> };

  before(async () => {
    db = await database();
    world = await startDuoUnixWorld(db.url === undefined ? {} : { database_url: db.url });
  });
  after(async () => {
    await world?.close();
    await db?.drop();
  });

  test(`issue 10: ${VOLUME} parallel REST v1 logins for one user: ${PER_USER} start, the rest are denials (HTTP 200)`, async () => {
    // Lockout would refuse first: this application tolerates the failures, so the login limit is what refuses.
    const keys = await world.app({ policy: { lockoutThreshold: 100 } });
    const user = await createTestUser(world.server.deps, 'flood');
    await addTestTotp(world.server.deps, user);
    const outcomes = new Map<string, number>();
    for (let sent = 0; sent < VOLUME; sent += PARALLEL) {
      const batch = Array.from({ length: PARALLEL }, (_, i) =>
        signedV1(world, keys, 'POST', '/rest/v1/auth.bson', {
          user: 'flood',
          factor: 'auto',
          // Every request differs, as different logins do (the code is wrong on purpose).
          auto: String(100_000 + sent + i),
          async: '0',
        }),
      );
      for (const answer of await Promise.all(batch)) {
        const response = answer.body?.response as { result?: string; status?: string } | undefined;
        const key = `${answer.status} ${String(answer.body?.stat)} ${response?.result}: ${response?.status}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
    }
    assert.deepEqual(
      Object.fromEntries(outcomes),
      {
        '200 OK deny: Incorrect passcode. Please try again.': PER_USER,
        '200 OK deny: Too many sign-in attempts. Wait a minute and try again.': VOLUME - PER_USER,
      },
      'every answer is a 200 denial: the limit admitted exactly its burst',
    );
    const audited = await world.server.deps.store.audit.tail({ limit: 10_000, kind: 'auth' });
    assert.equal(audited.filter((entry) => entry.userId === user.id).length, PER_USER, 'one login per start');
  });
}

describe('REST v1 under volume on SQLite', () => {
  cases(async () => ({ drop: async () => {} }));
});

const pg = testPgUrl();
describe('REST v1 under volume on PostgreSQL', { skip: pg === undefined ? PG_SKIP_MESSAGE : false }, () => {
  cases(() => createTestDatabase(pg!));
});
