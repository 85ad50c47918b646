// Migration 0011: the OpenID Connect provider's storage — one table for every oidc-provider model (a sealed JSON
// payload keyed by model and hashed id, with the columns the provider looks rows up by) and its signing keys.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

export const oidcSchema: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('oidc_payloads')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('payload_sealed', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('account_id', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oidc_payloads_pkey', ['model', 'id'])
      .execute();
    // The provider revokes by grant, finds sessions by uid and device codes by user code; an administrator's
    // sign-out ends everything of one account; maintenance deletes what expired.
    for (const column of ['grant_id', 'uid', 'user_code', 'account_id', 'expires_at']) {
      await db.schema.createIndex(`oidc_payloads_${column}`).on('oidc_payloads').column(column).execute();
    }
    await db.schema
      .createTable('oidc_signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('private_key_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('promoted_at', 'bigint')
      .addColumn('retired_at', 'bigint')
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable('oidc_signing_keys').execute();
    await db.schema.dropTable('oidc_payloads').execute();
  },
};
