// Migration 0010: an application may serve Duo's legacy REST v1 (duo_unix 1.x); off for every application.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const legacyRestV1Column: Migration = {
  async up(db: AnyDb) {
    // 0 or 1: the REST v1 signature has no date, so it is served only where an administrator switched it on.
    await db.schema
      .alterTable('applications')
      .addColumn('legacy_rest_v1', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.alterTable('applications').dropColumn('legacy_rest_v1').execute();
  },
};
