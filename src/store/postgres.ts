// A Kysely instance on PostgreSQL over a pg.Pool, with int8 columns parsed as numbers.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** OID of PostgreSQL's int8 (bigint), which pg returns as a string by default. */
const INT8_OID = 20;

// Our bigints are millisecond times, counters and counts: all far below 2^53, so Number is exact.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Most connections the pool opens. */
  maxConnections?: number;
  /** Told about errors on idle pooled connections (the pool drops such a connection and carries on). */
  onPoolError?: (error: Error) => void;
}

/** Creates a pg.Pool for `url` whose int8 values come back as numbers; the per-pool parser leaves pg's globals alone. */
export function createPgPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // Without a listener an idle connection's error (e.g. server restart) would crash the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  // The pool listens only while a connection is idle. One lost while checked out fails its query (which the
  // store reports as STORE_UNAVAILABLE) and then emits 'error', which with no listener would crash the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Opens PostgreSQL at `url` behind Kysely. */
export function openPostgresKysely(url: string, options: PostgresOptions = {}): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPgPool(url, options) }) });
}
