// Migration 0008: the telephony log (every text message and call) and the credits each UTC day has spent.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const telephonySchema: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('telephony_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('context', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('credits', 'integer', (c) => c.notNull())
      // What was sent and charged stays on record when the user is deleted: the link alone goes.
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('telephony_log_at').on('telephony_log').column('at').execute();
    // One row per day: the conditional UPDATE on it is the budget's compare-and-set on every node.
    await db.schema
      .createTable('telephony_credits')
      .addColumn('day', 'text', (c) => c.primaryKey())
      .addColumn('spent', 'integer', (c) => c.notNull())
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('telephony_credits').execute();
    await db.schema.dropTable('telephony_log').execute();
  },
};
