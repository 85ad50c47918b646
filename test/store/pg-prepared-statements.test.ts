// Issue 14: PostgreSQL runs the hot-path queries as named prepared statements, once per connection; a migration
// that changes a prepared query's result type costs one refused call (503), not a broken node.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { isCountersignError } from '../../src/core/errors.ts';
import { migrate } from '../../src/store/migrations/migrate.ts';
import { storeOn } from '../../src/store/open-store.ts';
import { openPostgresKysely } from '../../src/store/postgres.ts';
import { fixtures } from './fixtures.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const serverUrl = testPgUrl();

describe('PostgreSQL prepared statements', {
  skip: serverUrl === undefined ? PG_SKIP_MESSAGE : false,
}, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase(serverUrl!);
  });
  after(async () => {
    await database?.drop();
  });

  /** A store on one pooled connection, so the test reads the session's own prepared statements. */
  async function oneConnectionStore(preparedStatements?: boolean) {
    const db = openPostgresKysely(database.url, {
      maxConnections: 1,
      ...(preparedStatements !== undefined && { preparedStatements }),
    });
    await migrate(db);
    const store = storeOn(db, 'postgres');
    const prepared = async () =>
      (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db)).rows.map(
        (r) => r.name,
      );
    return { store, prepared };
  }

  async function alter(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  test('a hot-path read is prepared once on its connection and reused', async () => {
    const { store, prepared } = await oneConnectionStore();
    try {
      const user = fixtures().user();
      await store.users.create(user);
      assert.deepEqual(await prepared(), [], 'creating a user goes through no hot-path shape');
      assert.equal((await store.users.get(user.id))?.username, user.username);
      const once = await prepared();
      assert.equal(once.length, 1, `one statement prepared for users.get: ${once.join(', ')}`);
      assert.equal((await store.users.get(user.id))?.username, user.username);
      assert.deepEqual(await prepared(), once, 'the second call reuses it');
    } finally {
      await store.close();
    }
  });

  test('a column added by another node costs one refused call, then the statement is prepared anew', async () => {
    const { store, prepared } = await oneConnectionStore();
    try {
      const user = fixtures().user();
      await store.users.create(user);
      await store.users.get(user.id);
      await alter('alter table users add column added_by_a_newer_node text');
      await assert.rejects(
        store.users.get(user.id),
        (error: unknown) => isCountersignError(error, 'STORE_UNAVAILABLE'),
        'the stale statement fails as "cannot decide", never as a 500',
      );
      assert.equal(
        (await store.users.get(user.id))?.id,
        user.id,
        'the next call prepares it again and succeeds',
      );
      assert.equal((await prepared()).length, 2);
    } finally {
      await alter('alter table users drop column if exists added_by_a_newer_node');
      await store.close();
    }
  });

  test('turned off, nothing is prepared and a schema change costs nothing', async () => {
    const { store, prepared } = await oneConnectionStore(false);
    try {
      const user = fixtures().user();
      await store.users.create(user);
      await store.users.get(user.id);
      await alter('alter table users add column added_later text');
      assert.equal((await store.users.get(user.id))?.id, user.id);
      assert.deepEqual(await prepared(), []);
    } finally {
      await alter('alter table users drop column if exists added_later');
      await store.close();
    }
  });
});
