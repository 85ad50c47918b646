// Migration 0012: what the Admin API serves — integration grants, user notes, group membership as rows, and the
// indexes its paged lists run on.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

/** Rows per INSERT while copying memberships (well under both databases' bound-parameter limits). */
const CHUNK = 500;

/** The group names in a stored `users.groups` value; a damaged value copies nothing (the reader refuses it too). */
function groupNames(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? [...new Set(parsed.filter((name) => typeof name === 'string'))] : [];
  } catch {
    return [];
  }
}

/** Copies every user's `groups` JSON into `user_groups`, a page of users at a time. */
async function copyMemberships(db: AnyDb): Promise<void> {
  let after = '';
  for (;;) {
    const users: Array<{ id: string; groups: string }> = await db
      .selectFrom('users')
      .select(['id', 'groups'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (users.length === 0) return;
    const rows = users.flatMap((user) =>
      groupNames(user.groups).map((group_name) => ({ group_name, user_id: user.id })),
    );
    for (let start = 0; start < rows.length; start += CHUNK) {
      await db
        .insertInto('user_groups')
        .values(rows.slice(start, start + CHUNK))
        .execute();
    }
    after = users.at(-1)!.id;
  }
}

export const adminApiSchema: Migration = {
  async up(db: AnyDb) {
    // Admin API grants of an `admin-api` integration (a JSON array; empty for every other type).
    await db.schema
      .alterTable('applications')
      .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    // Duo's `notes`: a free-text comment administrators keep on a user.
    await db.schema.alterTable('users').addColumn('notes', 'text').execute();
    // Membership as rows beside `users.groups` (kept in step by the user repository): a group's members and the
    // authentication log's `groups` filter are then index lookups, not scans of every user's JSON.
    await db.schema
      .createTable('user_groups')
      .addColumn('group_name', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('user_groups_pk', ['group_name', 'user_id'])
      .execute();
    await db.schema.createIndex('user_groups_user_id').on('user_groups').column('user_id').execute();
    await copyMemberships(db);
    // The logs are pages of one kind in a time window, newest first, with (at, id) as the keyset Duo's v2
    // `next_offset` carries: the administrator log by kind, the authentication log by kind and action (its pages
    // and counts then read this index alone).
    await db.schema
      .createIndex('audit_log_kind_at_id')
      .on('audit_log')
      .columns(['kind', 'at', 'id'])
      .execute();
    await db.schema
      .createIndex('audit_log_kind_action_at_id')
      .on('audit_log')
      .columns(['kind', 'action', 'at', 'id'])
      .execute();
    // A page of users is found in this index alone (ordered by name key, carrying the id), however deep.
    await db.schema
      .createIndex('users_username_key_id')
      .on('users')
      .columns(['username_key', 'id'])
      .execute();
    // Phones (software authenticators) and hardware tokens are listed by kind, in id order.
    await db.schema
      .createIndex('authenticators_kind_id')
      .on('authenticators')
      .columns(['kind', 'id'])
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex('authenticators_kind_id').execute();
    await db.schema.dropIndex('users_username_key_id').execute();
    await db.schema.dropIndex('audit_log_kind_action_at_id').execute();
    await db.schema.dropIndex('audit_log_kind_at_id').execute();
    await db.schema.dropTable('user_groups').execute();
    await db.schema.alterTable('users').dropColumn('notes').execute();
    await db.schema.alterTable('applications').dropColumn('permissions').execute();
  },
};
