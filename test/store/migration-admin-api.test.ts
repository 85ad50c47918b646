// Migration 0012 on both databases: existing memberships are copied into user_groups, grants and notes start empty.
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

const MIGRATION = '0012-admin-api';

/** Migrates `db` up to the migration before 0012. */
async function migrateToBefore(db: Kysely<Database>): Promise<void> {
  const names = Object.keys(MIGRATIONS).sort();
  const previous = names[names.indexOf(MIGRATION) - 1];
  assert.ok(previous, `${MIGRATION} is registered after another migration`);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error } = await migrator.migrateTo(previous);
  if (error) throw error;
}

/** An old user row (no notes column yet) with `groups` as stored text. */
const oldUser = (n: number, groups: string) => ({
  id: `DU${String(n).padStart(5, '0')}`,
  username: `user${n}`,
  username_key: `user${n}`,
  aliases: '[]',
  groups,
  status: 'active',
  failed_attempts: 0,
  created_at: 1_750_000_000_000,
});

function migrationCases(open: () => Promise<Kysely<Database>>): void {
  it('copies every membership (more users than one page), skips damaged values, and leaves grants empty', async () => {
    const db = await open();
    try {
      await migrateToBefore(db);
      // 1,203 users: more than two of the migration's pages of 500.
      const users = Array.from({ length: 1203 }, (_, n) =>
        oldUser(n, n % 3 === 0 ? '["staff","vpn","staff"]' : n % 3 === 1 ? '["staff"]' : 'not json'),
      );
      for (let start = 0; start < users.length; start += 200) {
        await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
          .insertInto('users')
          .values(users.slice(start, start + 200))
          .execute();
      }
      await db
        .insertInto('applications')
        .values({
          id: 'DA1',
          name: 'VPN',
          type: 'radius',
          ikey: 'DIXXXXXXXXXXXXXXXXX1',
          skey_sealed: 'sealed',
          policy: '{}',
          created_at: 1,
        } as never)
        .execute();
      assert.ok((await migrate(db)).includes(MIGRATION));
      const store = storeOn(db, dialectOf(db));
      assert.equal(await store.users.count({ group: 'staff' }), 802);
      assert.equal(await store.users.count({ group: 'vpn' }), 401);
      assert.equal(await store.users.count({ group: 'none' }), 0);
      const [first] = await store.users.list({ limit: 1, offset: 0 }, { group: 'vpn' });
      assert.deepEqual(first?.groups, ['staff', 'vpn', 'staff']);
      assert.equal(first?.notes, null);
      assert.deepEqual((await store.applications.get('DA1'))?.permissions, []);
    } finally {
      await db.destroy();
    }
  });
}

describe('migration 0012 on SQLite', () => migrationCases(async () => openSqliteKysely(':memory:')));

const pgUrl = testPgUrl();
describe('migration 0012 on PostgreSQL', { skip: pgUrl === undefined && PG_SKIP_MESSAGE }, () => {
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
