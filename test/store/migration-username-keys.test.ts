// Migration 0006 on SQLite and PostgreSQL: existing names get canonical keys; collisions stop it, changing nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { MIGRATIONS, MigrationError, migrate } from '../../src/store/migrations/migrate.ts';
import { storeOn } from '../../src/store/open-store.ts';
import { openPostgresKysely } from '../../src/store/postgres.ts';
import type { Database } from '../../src/store/schema.ts';
import { openSqliteKysely } from '../../src/store/sqlite.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const THIS = '0006-username-keys';
const BEFORE = Object.keys(MIGRATIONS)
  .filter((name) => name < THIS)
  .sort()
  .at(-1)!;

/** Brings a fresh database to the schema just before this migration. */
async function migrateToBefore(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error } = await migrator.migrateTo(BEFORE);
  if (error) throw error;
}

/** Inserts a user the way the old schema kept it: lower() keys in username_lower and user_aliases. */
async function oldUser(db: Kysely<Database>, id: string, username: string, aliases: string[] = [], at = 1) {
  await sql`insert into users (id, username, username_lower, aliases, status, created_at)
    values (${id}, ${username}, ${username.toLowerCase()}, ${JSON.stringify(aliases)}, 'active', ${at})`.execute(
    db,
  );
  const keys = [...new Set([username, ...aliases].map((name) => name.toLowerCase()))];
  for (const key of keys)
    await sql`insert into user_aliases (alias_lower, user_id) values (${key}, ${id})`.execute(db);
}

function cases(name: string, open: () => Promise<{ db: Kysely<Database>; dispose(): Promise<void> }>) {
  describe(`issue 9.4: migration ${THIS} on ${name}`, () => {
    it('gives existing names their canonical form and key; lookups then match every spelling', async () => {
      const { db, dispose } = await open();
      try {
        await migrateToBefore(db);
        await oldUser(db, 'DU1', 'alice ', [], 1);
        await oldUser(db, 'DU2', 'STRA\u1e9eE', ['Bob', ' BOB'], 2);
        await oldUser(db, 'DU3', '\u212Aate', [], 3);
        await oldUser(db, 'DU4', 'ALİCE2', [], 4);
        assert.deepEqual(await migrate(db), [THIS, ...Object.keys(MIGRATIONS).filter((m) => m > THIS)]);
        const store = storeOn(db, name === 'postgres' ? 'postgres' : 'sqlite');
        const found = async (spelling: string) => (await store.users.findByName(spelling))?.id;
        assert.equal(await found('ALICE'), 'DU1');
        assert.equal(await found('strasse'), 'DU2');
        assert.equal(await found('bob'), 'DU2');
        assert.equal(await found('kate'), 'DU3');
        assert.equal(await found('alice2'), 'DU4');
        assert.equal((await store.users.get('DU1'))?.username, 'alice');
        assert.equal((await store.users.get('DU3'))?.username, 'Kate');
        assert.deepEqual((await store.users.get('DU2'))?.aliases, ['Bob', 'BOB']);
        const keys = await sql<{
          name_key: string;
        }>`select name_key from user_aliases order by name_key`.execute(db);
        assert.deepEqual(
          keys.rows.map((r) => r.name_key),
          ['alice', 'alice2', 'bob', 'kate', 'strasse'],
        );
      } finally {
        await dispose();
      }
    });

    it('refuses when two users now share a name or a name is refused, naming them, and changes nothing', async () => {
      const { db, dispose } = await open();
      try {
        await migrateToBefore(db);
        await oldUser(db, 'DU1', 'strasse', [], 1);
        await oldUser(db, 'DU2', 'stra\u00dfe', [], 2);
        await oldUser(db, 'DU3', 'ali\u0441e', [], 3);
        await oldUser(db, 'DU4', 'carol', ['DAVE'], 4);
        await oldUser(db, 'DU5', 'dave ', [], 5);
        const before = await sql`select * from users order by id`.execute(db);
        const error = await migrate(db).then(
          () => assert.fail('the migration ran'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof MigrationError);
        assert.equal(error.migration, THIS);
        assert.match(
          error.message,
          /3 user name\(s\) have no canonical key of their own; nothing was changed/,
        );
        assert.match(error.message, /user DU2 and a name of user DU1 \("strasse"\) are both "strasse"/);
        assert.match(
          error.message,
          /user DU3: the username "ali\u0441e" is refused: it mixes Latin and Cyrillic/,
        );
        assert.match(error.message, /user DU5 and a name of user DU4 \("carol"\) are both "dave"/);
        assert.deepEqual((await sql`select * from users order by id`.execute(db)).rows, before.rows);
        // What docs/usernames.md says to do: rename with the old schema, then start again.
        await sql`update users set username = 'strasse2', username_lower = 'strasse2' where id = 'DU2'`.execute(
          db,
        );
        await sql`update user_aliases set alias_lower = 'strasse2' where user_id = 'DU2'`.execute(db);
        await sql`delete from users where id in ('DU3', 'DU5')`.execute(db);
        assert.equal((await migrate(db))[0], THIS);
        const store = storeOn(db, name === 'postgres' ? 'postgres' : 'sqlite');
        assert.equal((await store.users.findByName('STRASSE2'))?.id, 'DU2');
        assert.equal((await store.users.findByName('Dave'))?.id, 'DU4');
      } finally {
        await dispose();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'countersign-migration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;
cases('sqlite', async () => {
  const db = openSqliteKysely(join(dir, `db-${++serial}.sqlite`));
  return { db, dispose: () => db.destroy() };
});

const serverUrl = testPgUrl();
if (serverUrl === undefined) {
  it('migration 0006 on postgres', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });
  cases('postgres', async () => {
    const database = await createTestDatabase(serverUrl);
    databases.push(database);
    const db = openPostgresKysely(database.url);
    return { db, dispose: () => db.destroy() };
  });
}
