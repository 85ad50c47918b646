// Opens the store on PostgreSQL (a URL) or SQLite (a file), migrates it, and hands out the repositories.
import { type Kysely, sql } from 'kysely';
import { CountersignError } from '../core/errors.ts';
import type { Repositories, Store } from '../core/repositories.ts';
import { asStoreError } from './db-errors.ts';
import { batchedRepositories, groupCommitter } from './group-commit.ts';
import { guarded, guardRepositories } from './guard-unavailable.ts';
import { migrate } from './migrations/migrate.ts';
import type { PostgresOptions } from './postgres.ts';
import { type UnknownReasonHandler, warnUnknownReason } from './repositories/context.ts';
import { allRepositories, createRepositories } from './repositories/index.ts';
import { createQueryCache, type DirectExecutor } from './repositories/prepared.ts';
import type { Database } from './schema.ts';
import { openSqliteKysely, sqliteConnectionOf } from './sqlite.ts';
import { directExecutor } from './sqlite-database.ts';

export interface StoreOptions extends PostgresOptions {
  /** `postgres://…`: use PostgreSQL (for several nodes). */
  url?: string;
  /** A SQLite file in the data directory, or `:memory:` (tests). Used when `url` is not given. */
  sqlitePath?: string;
  /** Told about each stored transaction reason this version does not know (default: a process warning). */
  onUnknownReason?: UnknownReasonHandler;
}

/** Wraps a migrated Kysely instance as a Store; a lost database surfaces as STORE_UNAVAILABLE from any call. */
export function storeOn(
  db: Kysely<Database>,
  dialect: Store['dialect'],
  onUnknownReason: UnknownReasonHandler = warnUnknownReason,
): Store {
  const queries = createQueryCache();
  const inTransaction = (trx: Kysely<Database>, direct?: DirectExecutor) =>
    guardRepositories(createRepositories(trx, true, queries, onUnknownReason, direct));
  // SQLite has one writer: concurrent transactions share one COMMIT (group-commit.ts). PostgreSQL runs them
  // side by side on its pool, where sharing one would only hold row locks longer.
  const connection = dialect === 'sqlite' ? sqliteConnectionOf(db) : undefined;
  const direct = connection && directExecutor(connection);
  const transact: <T>(work: (repos: Repositories) => Promise<T>) => Promise<T> = connection
    ? groupCommitter(db, connection, (held) => inTransaction(held, direct))
    : (work) => db.transaction().execute((trx) => work(inTransaction(trx)));
  const outside = createRepositories(db, false, queries, onUnknownReason);
  return {
    ...allRepositories(guardRepositories(connection ? batchedRepositories(outside, transact) : outside)),
    dialect,
    // On SQLite the single connection is held for the whole callback: inside `work`, use only the `repos`
    // it is given; calling the outer store there would wait for the transaction and never finish.
    // Guarded outside too: BEGIN and COMMIT can lose the connection as well as the statements between them.
    atomically: (work) => guarded(() => transact(work)),
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

/** Opens and migrates the database named by `options`; PostgreSQL when `url` is set, else SQLite at `sqlitePath`. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { url, sqlitePath } = options;
  if (url === undefined && sqlitePath === undefined) {
    throw new CountersignError('INVALID_INPUT', 'store: set either a PostgreSQL url or a sqlitePath');
  }
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new CountersignError('INVALID_INPUT', 'store url: expected postgres:// or postgresql://');
  }
  const dialect = url !== undefined ? 'postgres' : 'sqlite';
  // The pg driver loads only for PostgreSQL: a SQLite server never needs it (issue 14, idle memory).
  const db =
    url !== undefined
      ? (await import('./postgres.ts')).openPostgresKysely(url, options)
      : openSqliteKysely(sqlitePath ?? ':memory:');
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    // A database that cannot be reached at start is the same outage as one lost later (CLI: exit 1).
    throw asStoreError(error);
  }
  return storeOn(db, dialect, options.onUnknownReason);
}
