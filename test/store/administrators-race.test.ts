// On PostgreSQL, two transactions that each leave one owner: while the first holds its change open, the second
// must wait (administrators.lockAll) and then see that change, so it is refused and an owner remains. The wait is
// observed in pg_stat_activity, not timed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { removeAdministrator } from '../../src/core/admin/administrators.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import { openStore } from '../../src/store/open-store.ts';
import { fixtures, NOW } from './fixtures.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const serverUrl = testPgUrl();
let database: TestDatabase | undefined;
let store: Store | undefined;

before(async () => {
  if (serverUrl === undefined) return;
  database = await createTestDatabase(serverUrl);
  store = await openStore({ url: database.url });
});
after(async () => {
  await store?.close();
  await database?.drop();
});

/** True once a session of `databaseName` waits on a row lock. */
async function someoneWaitsOnALock(client: pg.Client, databaseName: string): Promise<boolean> {
  const result = await client.query(
    "select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'",
    [databaseName],
  );
  return result.rows[0].n > 0;
}

test('a demotion and a removal of the last two owners, interleaved: the second waits, then is refused', {
  skip: serverUrl === undefined ? PG_SKIP_MESSAGE : false,
}, async () => {
  const s = store!;
  const f = fixtures();
  const deps = { store: s, clock: manualClock(NOW) } as unknown as CoreDeps;
  const [x, y] = [f.user(), f.user()];
  for (const user of [x, y]) {
    await s.users.create(user);
    await s.administrators.add({ userId: user.id, role: 'owner', createdAt: NOW });
  }
  const watcher = new pg.Client({ connectionString: database!.url });
  await watcher.connect();
  const databaseName = new URL(database!.url).pathname.slice(1);
  let removal: Promise<boolean> | undefined;
  let removalSettledWhileOpen = false;
  try {
    await s.atomically(async (repos) => {
      // The first change, as setAdministratorRole makes it, held open.
      await repos.administrators.lockAll();
      await repos.administrators.setRole(x.id, 'read-only');
      assert.equal(await repos.administrators.count('owner'), 1);
      removal = removeAdministrator(deps, 'test', y);
      let settled = false;
      removal.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      // Until the removal either finishes (no lock: the bug) or waits on our rows (the lock holds).
      while (!settled && !(await someoneWaitsOnALock(watcher, databaseName))) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      removalSettledWhileOpen = settled;
    });
    await assert.rejects(removal!, (error) => isCountersignError(error, 'INVALID_INPUT'));
  } finally {
    await watcher.end();
  }
  assert.equal(removalSettledWhileOpen, false, 'the removal waited for the open change');
  assert.equal(await s.administrators.count('owner'), 1);
  assert.equal((await s.administrators.get(y.id))?.role, 'owner');
});
