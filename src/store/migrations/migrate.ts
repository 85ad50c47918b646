// Applies the schema migrations, listed in order inline (no file-system scanning), at start; idempotent.
import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { initialSchema } from './0001-initial.ts';
import { pushSchema } from './0002-push.ts';
import { webSchema } from './0003-web.ts';
import { rateLimitSchema } from './0004-rate-limits.ts';
import { replaySchema } from './0005-replay.ts';
import { usernameKeys } from './0006-username-keys.ts';
import { alertsTable } from './0007-alerts.ts';
import { telephonySchema } from './0008-telephony.ts';
import { legacyRestV1Column } from './0010-legacy-rest-v1.ts';
import { oidcSchema } from './0011-oidc.ts';
import { adminApiSchema } from './0012-admin-api.ts';
import { administratorsSchema } from './0013-administrators.ts';
import { consoleDataSchema } from './0014-console-data.ts';
import { smsPasscodesSchema } from './0015-sms-passcodes.ts';

/** Every migration by name; Kysely applies them in name order, so names start with a zero-padded number. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initialSchema,
  '0002-push': pushSchema,
  '0003-web': webSchema,
  '0004-rate-limits': rateLimitSchema,
  '0005-replay': replaySchema,
  '0006-username-keys': usernameKeys,
  '0007-alerts': alertsTable,
  '0008-telephony': telephonySchema,
  '0010-legacy-rest-v1': legacyRestV1Column,
  '0011-oidc': oidcSchema,
  '0012-admin-api': adminApiSchema,
  '0013-administrators': administratorsSchema,
  '0014-console-data': consoleDataSchema,
  '0015-sms-passcodes': smsPasscodesSchema,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/** A migration that failed: which one, and the database's error as `cause`. */
export class MigrationError extends Error {
  readonly migration: string | undefined;

  constructor(migration: string | undefined, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`database migration ${migration ?? '(setup)'} failed: ${why}`, { cause });
    this.name = 'MigrationError';
    this.migration = migration;
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied (none when already current). */
export async function migrate<DB>(db: Kysely<DB>): Promise<string[]> {
  // Kysely's Migrator holds a lock (an advisory lock on PostgreSQL) so nodes starting together migrate once.
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results.find((r) => r.status === 'Error')?.migrationName, error);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
