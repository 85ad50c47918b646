// A Kysely instance on PostgreSQL over a pg.Pool, with int8 columns parsed as numbers.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { preparedStatementName } from './repositories/prepared.ts';
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
  /** Runs the hot-path queries as named prepared statements (default true; see namePreparedStatements). */
  preparedStatements?: boolean;
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
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (options.preparedStatements !== false) namePreparedStatements(client);
  });
  return pool;
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

// Raised by a prepared `SELECT *` once another node's migration added a column to its table.
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

/**
 * Makes `client` send the store's hot-path queries (repositories/prepared.ts) as named prepared statements:
 * PostgreSQL parses and plans each once per connection instead of on every login, a third more logins a second
 * on PostgreSQL in the Auth API benchmark (issue 14). Other queries (built per call, unbounded in number) go
 * unnamed as before. A statement whose result type a migration changed fails once (the store reports it as
 * STORE_UNAVAILABLE) and is prepared anew under another name on its next use.
 */
function namePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const renamed = new Map<string, string>();
  (client as unknown as { query: Query }).query = (text, values, callback) => {
    const name = typeof text === 'string' && callback === undefined ? preparedStatementName(text) : undefined;
    if (name === undefined || !Array.isArray(values)) return query(text, values, callback);
    const current = renamed.get(text as string) ?? name;
    return (query({ name: current, text, values }) as Promise<unknown>).catch((error: unknown) => {
      if (String((error as Error)?.message).includes(RESULT_TYPE_CHANGED)) {
        renamed.set(text as string, `${current}_${renamed.size + 1}`);
      }
      throw error;
    });
  };
}

/** Opens PostgreSQL at `url` behind Kysely. */
export function openPostgresKysely(url: string, options: PostgresOptions = {}): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPgPool(url, options) }) });
}
