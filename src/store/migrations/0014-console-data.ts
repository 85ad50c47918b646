// Migration 0014: what the console's data needs — integration notes, a review status on fraud reports, and an index
// the dashboard's sign-ins-per-day counts read alone, and users by status.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const consoleDataSchema: Migration = {
  async up(db: AnyDb) {
    // Duo's integration `notes`: free text administrators keep on an application.
    await db.schema
      .alterTable('applications')
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    // A fraud report is open until an administrator marks it reviewed or dismissed.
    await db.schema
      .alterTable('alerts')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .execute();
    // Sign-ins per day by result over weeks of a large log: with the result in the index, the count reads the
    // index alone instead of fetching every row (bench/README.md, `admin-api`).
    await db.schema
      .createIndex('audit_log_kind_action_at_result')
      .on('audit_log')
      .columns(['kind', 'action', 'at', 'result'])
      .execute();
    // Users by status: counting those who sign in (all but the disabled) reads this narrow index, not every row.
    await db.schema.createIndex('users_status').on('users').column('status').execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex('users_status').execute();
    await db.schema.dropIndex('audit_log_kind_action_at_result').execute();
    await db.schema.alterTable('alerts').dropColumn('status').execute();
    await db.schema.alterTable('applications').dropColumn('notes').execute();
  },
};
