// Migration 0005: single-use signed requests (replay refusal) and the tickets that open a device's live channel.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const replaySchema: Migration = {
  async up(db: AnyDb) {
    // The primary key is the compare-and-set: a second insert of one key fails on every node.
    await db.schema
      .createTable('used_signatures')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('used_signatures_expires_at')
      .on('used_signatures')
      .column('expires_at')
      .execute();
    await db.schema
      .createTable('live_tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull().references('authenticators.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('live_tickets_expires_at').on('live_tickets').column('expires_at').execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('live_tickets').execute();
    await db.schema.dropTable('used_signatures').execute();
  },
};
