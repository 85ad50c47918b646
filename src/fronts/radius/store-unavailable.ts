// Tells "the database is unreachable" apart from other failures, so a client's failmode can apply to it alone.
import { isCountersignError } from '../../core/errors.ts';

// Connection-level errno codes from node:net (pg) and the pg driver.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
// SQLite primary result codes: SQLITE_BUSY (5), SQLITE_IOERR (10), SQLITE_CANTOPEN (14).
const SQLITE_UNAVAILABLE = new Set([5, 10, 14]);
const MESSAGES = [
  'driver has already been destroyed', // Kysely after the store was closed
  'database is not open', // node:sqlite
  'Connection terminated', // pg
  'connection timeout',
];

/** True when `error` means the store cannot be reached (STORE_UNAVAILABLE or a database connection error). */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (isCountersignError(error, 'STORE_UNAVAILABLE')) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code)) return true;
    // PostgreSQL SQLSTATE class 08 (connection exception) and 57P01-57P03 (server shutting down).
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
  // Bounded: a cause chain may loop.
  return e.cause !== undefined && depth < 5 && isStoreUnavailable(e.cause, depth + 1);
}
