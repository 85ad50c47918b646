// Migration 0002: device activations for push, and the index that push rate limits read.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const pushSchema: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('activations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('replaces_device_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('device_id', 'text')
      .execute();
    await db.schema.createIndex('activations_user_id').on('activations').column('user_id').execute();
    await db.schema
      .createIndex('auth_transactions_user_created')
      .on('auth_transactions')
      .columns(['user_id', 'created_at'])
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex('auth_transactions_user_created').execute();
    await db.schema.dropTable('activations').execute();
  },
};
