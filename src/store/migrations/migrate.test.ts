// Unit tests for the migrations: applied once, idempotent, cascading foreign keys.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { openSqliteKysely } from '../sqlite.ts';
import { MIGRATIONS, migrate } from './migrate.ts';

it('applies every migration once and nothing on a second run', async () => {
  const db = openSqliteKysely(':memory:');
  try {
    assert.deepEqual(await migrate(db), Object.keys(MIGRATIONS));
    assert.deepEqual(await migrate(db), []);
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
    const names = tables.rows.map((r) => r.name);
    for (const table of [
      'users',
      'user_aliases',
      'applications',
      'authenticators',
      'bypass_codes',
      'audit_log',
    ]) {
      assert.ok(names.includes(table), `${table} exists`);
    }
  } finally {
    await db.destroy();
  }
});

it('cascades user deletion to aliases and authenticators', async () => {
  const db = openSqliteKysely(':memory:');
  try {
    await migrate(db);
    await sql`insert into users (id, username, username_key, status, created_at) values ('U1', 'ada', 'ada', 'active', 1)`.execute(
      db,
    );
    await sql`insert into user_aliases (name_key, user_id) values ('ada', 'U1')`.execute(db);
    await sql`insert into authenticators (id, user_id, kind, name, algorithm, digits, period, created_at)
      values ('D1', 'U1', 'totp', 'phone', 'sha1', 6, 30, 1)`.execute(db);
    await db.deleteFrom('users').where('id', '=', 'U1').execute();
    const aliases = await db.selectFrom('user_aliases').selectAll().execute();
    const devices = await db.selectFrom('authenticators').selectAll().execute();
    assert.deepEqual([aliases.length, devices.length], [0, 0]);
  } finally {
    await db.destroy();
  }
});
