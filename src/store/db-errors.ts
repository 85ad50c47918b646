// Recognises constraint violations from node:sqlite and pg alike, so repositories can map them to domain errors.

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
