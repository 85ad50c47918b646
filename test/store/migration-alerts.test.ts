// Migration 0007 on both databases: the alert list kept in the settings key `alerts` moves into the alerts table.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { dialectOf } from '../../src/store/dialect.ts';
import { MIGRATIONS, migrate } from '../../src/store/migrations/migrate.ts';
import { storeOn } from '../../src/store/open-store.ts';
import { openPostgresKysely } from '../../src/store/postgres.ts';
import type { Database } from '../../src/store/schema.ts';
import { openSqliteKysely } from '../../src/store/sqlite.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const MIGRATION = '0007-alerts';

/** Migrates `db` up to the migration before 0007 (whatever others were added before it). */
async function migrateToBefore(db: Kysely<Database>): Promise<void> {
  const names = Object.keys(MIGRATIONS).sort();
  const previous = names[names.indexOf(MIGRATION) - 1];
  assert.ok(previous, `${MIGRATION} is registered after another migration`);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error } = await migrator.migrateTo(previous);
  if (error) throw error;
}

const oldAlert = (n: number) => ({
  at: 1_750_000_000_000 + n,
  kind: 'fraud' as const,
  userId: `DU${n}`,
  username: `user${n}`,
  application: n % 2 === 0 ? 'VPN' : null,
  txid: `tx${n}`,
  ip: n % 3 === 0 ? null : '203.0.113.9',
});

function migrationCases(open: () => Promise<Kysely<Database>>): void {
  it('moves the stored list (newest 500, order kept, non-alerts skipped) and removes the key', async () => {
    const db = await open();
    try {
      await migrateToBefore(db);
      const list = [{ at: 'not an alert' }, ...Array.from({ length: 503 }, (_, n) => oldAlert(n)), 42];
      await db
        .insertInto('settings')
        .values({ key: 'alerts', value: JSON.stringify(list) })
        .execute();
      assert.ok((await migrate(db)).includes(MIGRATION));
      const store = storeOn(db, dialectOf(db));
      assert.deepEqual(
        await store.alerts.list(1000),
        Array.from({ length: 500 }, (_, n) => oldAlert(n + 3)),
      );
      assert.equal(await store.settings.get('alerts'), null);
      // The table goes on from there: the next alert is the newest.
      await store.alerts.append(oldAlert(1000), 500);
      assert.equal((await store.alerts.list(1))[0]?.txid, 'tx1000');
    } finally {
      await db.destroy();
    }
  });

  it('reads a value that is not a list as no alerts, and still removes the key', async () => {
    const db = await open();
    try {
      await migrateToBefore(db);
      await db.insertInto('settings').values({ key: 'alerts', value: '"garbage"' }).execute();
      await migrate(db);
      const store = storeOn(db, dialectOf(db));
      assert.deepEqual(await store.alerts.list(10), []);
      assert.equal(await store.settings.get('alerts'), null);
    } finally {
      await db.destroy();
    }
  });
}

describe('migration 0007 on SQLite', () => migrationCases(async () => openSqliteKysely(':memory:')));

const pgUrl = testPgUrl();
describe('migration 0007 on PostgreSQL', { skip: pgUrl === undefined && PG_SKIP_MESSAGE }, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });
  migrationCases(async () => {
    const database = await createTestDatabase(pgUrl!);
    databases.push(database);
    return openPostgresKysely(database.url);
  });
});
