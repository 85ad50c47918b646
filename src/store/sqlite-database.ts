// Adapts Node's built-in node:sqlite (DatabaseSync) to the better-sqlite3 shape Kysely's SqliteDialect expects.
import { closeSync, openSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { CountersignError } from '../core/errors.ts';
import { PRIVATE_FILE_MODE } from '../private-files.ts';
import type { DirectExecutor } from './repositories/prepared.ts';

/** How many prepared statements to keep: the store issues a few dozen distinct queries. */
const STATEMENT_CACHE_SIZE = 256;

/** node:sqlite binds no booleans: store them as 0/1 like better-sqlite3 users expect. */
function toSqlite(values: ReadonlyArray<unknown>): SQLInputValue[] {
  return values.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value === undefined) return null;
    return value as SQLInputValue;
  });
}

// SQLite primary result codes (https://www.sqlite.org/rescode.html) meaning the file cannot be written: the disk
// (or file system) is full, or it failed. Nothing of the statement was stored; the caller cannot decide.
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;

/** A write the file system refused becomes STORE_UNAVAILABLE, so every front answers it as "cannot decide". */
function classified(error: unknown): unknown {
  const { errcode, message } = error as { errcode?: unknown; message?: unknown };
  if (typeof errcode !== 'number') return error;
  const primary = errcode & 0xff;
  if (primary !== SQLITE_FULL && primary !== SQLITE_IOERR) return error;
  const name = primary === SQLITE_FULL ? 'SQLITE_FULL' : 'SQLITE_IOERR';
  return new CountersignError(
    'STORE_UNAVAILABLE',
    `the SQLite database could not be written: ${String(message)} (${name}, code ${errcode})`,
  );
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw classified(error);
  }
}

function wrapStatement(stmt: StatementSync): SqliteStatement {
  return {
    // A statement returns rows when it has result columns (SELECT, PRAGMA, ... RETURNING).
    reader: stmt.columns().length > 0,
    all: (parameters) => guarded(() => stmt.all(...toSqlite(parameters))),
    run: (parameters) => guarded(() => stmt.run(...toSqlite(parameters))),
    iterate: (parameters) => guarded(() => stmt.iterate(...toSqlite(parameters))),
  };
}

export interface SqliteOptions {
  /** WAL pages after which a COMMIT checkpoints (PRAGMA wal_autocheckpoint); SQLite's default is 1,000. */
  autocheckpointPages?: number;
}

/** Opens `path` (a file, or `:memory:`) with WAL, foreign keys, a busy timeout and NORMAL sync. */
export function openSqliteDatabase(path: string, options: SqliteOptions = {}): SqliteDatabase {
  // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files it makes the database's mode.
  if (path !== ':memory:' && path !== '') closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA foreign_keys=ON');
  db.exec('PRAGMA busy_timeout=5000');
  // WAL + NORMAL is durable against application crashes; a power loss may drop the last commits only.
  db.exec('PRAGMA synchronous=NORMAL');
  if (options.autocheckpointPages !== undefined) {
    db.exec(`PRAGMA wal_autocheckpoint=${Math.max(0, Math.floor(options.autocheckpointPages))}`);
  }
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql) => {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = wrapStatement(db.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Runs SQL on `database` synchronously and answers as Kysely's SQLite driver does (rows, or changes and id). */
export function directExecutor(database: SqliteDatabase): DirectExecutor {
  return (sql, parameters) => {
    const stmt = database.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return {
      insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
      numAffectedRows: changes != null ? BigInt(changes) : undefined,
      rows: [],
    };
  };
}

/**
 * True for the error of a ROLLBACK that found no transaction: after SQLITE_FULL or an I/O error SQLite may have
 * rolled the transaction back itself, and that ROLLBACK's error must not hide the one that ended the transaction
 * (STORE_UNAVAILABLE: a 503).
 */
export function isNoTransactionActive(error: unknown): boolean {
  return /no transaction is active/.test(String((error as Error | undefined)?.message));
}
