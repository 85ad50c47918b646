// Migration 0004: rate limits on starting logins (per user, per address), kept in the store so every node agrees.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const rateLimitSchema: Migration = {
  async up(db: AnyDb) {
    // One row per limited key (`user:<id>`, `address:<ip>`): GCRA's theoretical arrival time, whether the last
    // attempt was let through, and the refusals not yet summarised in the audit log.
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('tat', 'bigint', (c) => c.notNull())
      .addColumn('last_allowed', 'integer', (c) => c.notNull())
      .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('refused_since', 'bigint')
      .execute();
    await db.schema
      .createIndex('rate_limits_refused_since')
      .on('rate_limits')
      .column('refused_since')
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('rate_limits').execute();
  },
};
