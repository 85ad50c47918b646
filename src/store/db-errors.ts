// Recognises constraint violations and lost connections from node:sqlite and pg alike, so the store can map them
// to domain errors (a unique name taken, STORE_UNAVAILABLE) before anything leaves it.
import { CountersignError, isCountersignError } from '../core/errors.ts';

/** A constraint the database refused: which kind, and the constraint's name or SQLite's `table.column` text. */
export interface ConstraintViolation {
  kind: 'unique' | 'foreign_key';
  /** PostgreSQL: the constraint name (e.g. `users_username_key_unique`); SQLite: the error message. */
  target: string;
}

// SQLite extended result codes: https://www.sqlite.org/rescode.html
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
// PostgreSQL SQLSTATE class 23: integrity constraint violation.
const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';

/** Classifies `error` as a unique or foreign-key violation, or returns null for anything else. */
export function constraintViolation(error: unknown): ConstraintViolation | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; errcode?: unknown; constraint?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'ERR_SQLITE_ERROR') {
    if (e.errcode === SQLITE_CONSTRAINT_UNIQUE || e.errcode === SQLITE_CONSTRAINT_PRIMARYKEY) {
      return { kind: 'unique', target: message };
    }
    if (e.errcode === SQLITE_CONSTRAINT_FOREIGNKEY) return { kind: 'foreign_key', target: message };
    return null;
  }
  const target = typeof e.constraint === 'string' ? e.constraint : message;
  if (e.code === PG_UNIQUE_VIOLATION) return { kind: 'unique', target };
  if (e.code === PG_FOREIGN_KEY_VIOLATION) return { kind: 'foreign_key', target };
  return null;
}

/** True when `violation` concerns `table.column` (SQLite message) or the constraint `table_column_*` (PostgreSQL). */
export function concerns(violation: ConstraintViolation, table: string, column: string): boolean {
  return (
    violation.target.includes(`${table}.${column}`) || violation.target.startsWith(`${table}_${column}_`)
  );
}

// Connection-level errno codes from node:net (pg's socket).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
// SQLite primary result codes: SQLITE_BUSY (5, after busy_timeout), SQLITE_IOERR (10), SQLITE_CANTOPEN (14).
const SQLITE_UNAVAILABLE = new Set([5, 10, 14]);
// Failures that carry no code, only words.
const MESSAGES = [
  'driver has already been destroyed', // Kysely, once the store was closed
  'database is not open', // node:sqlite
  'Connection terminated', // pg, the server or the network went away mid-query
  'is not queryable', // pg, a query on a connection already lost
  'connection timeout', // pg, connectionTimeoutMillis
  'timeout exceeded when trying to connect', // pg-pool, no connection within connectionTimeoutMillis
  // pg, a prepared statement whose table another node's migration changed: prepared anew on its next use
  // (postgres.ts), so the login may be tried again.
  'cached plan must not change result type',
];

/** True when `error` (or an error it wraps) says the database cannot be reached, as opposed to refusing a query. */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (isCountersignError(error, 'STORE_UNAVAILABLE')) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    errcode?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code)) return true;
    // PostgreSQL SQLSTATE class 08 (connection exception) and 57P01-57P03 (server shutting down or starting).
    if (/^08[0-9A-Z]{3}$/.test(e.code) || /^57P0[1-3]$/.test(e.code)) return true;
  }
  if (
    e.code === 'ERR_SQLITE_ERROR' &&
    typeof e.errcode === 'number' &&
    SQLITE_UNAVAILABLE.has(e.errcode & 0xff)
  ) {
    return true;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGES.some((text) => message.includes(text))) return true;
  if (depth >= 5) return false; // a cause chain may loop
  // Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as one
  // AggregateError holding each attempt's error.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionFailure(inner, depth + 1))) return true;
  return e.cause !== undefined && isConnectionFailure(e.cause, depth + 1);
}

/** `error` as the store reports it: STORE_UNAVAILABLE when the database cannot be reached, else unchanged. */
export function asStoreError(error: unknown): unknown {
  if (isCountersignError(error) || !isConnectionFailure(error)) return error;
  const e = error as { code?: unknown; message?: unknown };
  const words = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  return new CountersignError(
    'STORE_UNAVAILABLE',
    typeof e.code === 'string' ? `${e.code}: ${words}` : words,
  );
}
