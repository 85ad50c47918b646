// A Kysely instance on SQLite whose transactions start with BEGIN IMMEDIATE, so writers queue instead of failing.

import type { SqliteDatabase, SqliteDialectConfig } from 'kysely';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import type { Database } from './schema.ts';
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  type Checkpointer,
  startCheckpointer,
} from './sqlite-checkpointer.ts';
import { isNoTransactionActive, openSqliteDatabase } from './sqlite-database.ts';

const connections = new WeakMap<Kysely<Database>, SqliteDatabase>();

/** The one connection under a Kysely instance opened by `openSqliteKysely`, for group commit's direct path. */
export function sqliteConnectionOf(db: Kysely<Database>): SqliteDatabase | undefined {
  return connections.get(db);
}

// A deferred BEGIN takes the write lock only at the first write; if another process holds it by then the
// transaction fails with SQLITE_BUSY instead of waiting. IMMEDIATE takes it up front (honouring busy_timeout).
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #checkpointer: Checkpointer | null;

  constructor(config: SqliteDialectConfig, checkpointer: Checkpointer | null) {
    super(config);
    this.#checkpointer = checkpointer;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (error) {
      if (!isNoTransactionActive(error)) throw error;
    }
  }

  override async destroy(): Promise<void> {
    // The worker's connection closes first, so the main one is the last and leaves a checkpointed file.
    await this.#checkpointer?.stop();
    await super.destroy();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #checkpointer: Checkpointer | null;

  constructor(config: SqliteDialectConfig, checkpointer: Checkpointer | null) {
    super(config);
    this.#config = config;
    this.#checkpointer = checkpointer;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#checkpointer);
  }
}

/**
 * Opens the SQLite database at `path` (or `:memory:`) behind Kysely. A database file gets its WAL checkpointed
 * by a worker thread (sqlite-checkpointer.ts), so COMMITs on the event loop no longer pay for fsyncs.
 */
export function openSqliteKysely(path: string): Kysely<Database> {
  const onDisk = path !== ':memory:' && path !== '';
  const database = openSqliteDatabase(
    path,
    onDisk ? { autocheckpointPages: BACKSTOP_AUTOCHECKPOINT_PAGES } : {},
  );
  const checkpointer = onDisk ? startCheckpointer(path) : null;
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }, checkpointer) });
  connections.set(db, database);
  return db;
}
