// A Kysely instance on SQLite whose transactions start with BEGIN IMMEDIATE, so writers queue instead of failing.

import type { SqliteDialectConfig } from 'kysely';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import type { Database } from './schema.ts';
import { openSqliteDatabase } from './sqlite-database.ts';

// A deferred BEGIN takes the write lock only at the first write; if another process holds it by then the
// transaction fails with SQLITE_BUSY instead of waiting. IMMEDIATE takes it up front (honouring busy_timeout).
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** Opens the SQLite database at `path` (or `:memory:`) behind Kysely. */
export function openSqliteKysely(path: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: openSqliteDatabase(path) }),
  });
}
