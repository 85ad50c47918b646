// Migration 0001: the initial schema, written with Kysely's schema builder so it serves SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

async function createUsers(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_lower', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('real_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('directory', 'text')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addUniqueConstraint('users_username_unique', ['username'])
    .addUniqueConstraint('users_username_lower_unique', ['username_lower'])
    .execute();
  // Holds the lower-cased username AND every alias: the primary key makes names unique across both.
  await db.schema
    .createTable('user_aliases')
    .addColumn('alias_lower', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('user_aliases_user_id').on('user_aliases').column('user_id').execute();
}

async function createConfiguration(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ikey', 'text', (c) => c.notNull())
    .addColumn('skey_sealed', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('applications_name_unique', ['name'])
    .addUniqueConstraint('applications_ikey_unique', ['ikey'])
    .execute();
  await db.schema
    .createTable('groups')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

async function createCredentials(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('authenticators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('secret_sealed', 'text')
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('digits', 'integer', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_step', 'bigint')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    // Both databases allow many NULLs under a unique constraint: software authenticators have no serial.
    .addUniqueConstraint('authenticators_serial_unique', ['serial'])
    .execute();
  await db.schema.createIndex('authenticators_user_id').on('authenticators').column('user_id').execute();
  await db.schema
    .createTable('bypass_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('remaining_uses', 'integer')
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bypass_codes_user_id').on('bypass_codes').column('user_id').execute();
}

async function createActivity(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('auth_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('factor', 'text')
    .addColumn('device_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('auth_transactions_updated_at')
    .on('auth_transactions')
    .column('updated_at')
    .execute();
  // SQLite: AUTOINCREMENT never reuses an id, so audit followers polling `afterId` never miss or repeat one.
  const audit =
    dialectOf(db) === 'postgres'
      ? db.schema.createTable('audit_log').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable('audit_log').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await audit
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('application_id', 'text')
    .addColumn('factor', 'text')
    .addColumn('result', 'text')
    .addColumn('reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}

/** Creates every table of the first release. */
export const initialSchema: Migration = {
  async up(db) {
    await createUsers(db);
    await createConfiguration(db);
    await createCredentials(db);
    await createActivity(db);
  },
};
