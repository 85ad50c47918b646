// Migration 0015: texted codes (sign-in batches and phone-number confirmations), hashed like bypass codes.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const smsPasscodesSchema: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('sms_passcodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sms_passcodes_user_purpose')
      .on('sms_passcodes')
      .columns(['user_id', 'purpose'])
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('sms_passcodes').execute();
  },
};
