// Migration 0013: administrators are users with a console role (owner, administrator, help desk, read-only).
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const administratorsSchema: Migration = {
  async up(db: AnyDb) {
    // One row per administrator; deleting the user ends the role with it.
    await db.schema
      .createTable('administrators')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('administrators').execute();
  },
};
