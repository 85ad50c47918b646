// Tells which database a Kysely instance talks to, for the few places where SQL differs.
import { type Kysely, PostgresAdapter } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** 'postgres' when `db` runs on the PostgreSQL adapter, otherwise 'sqlite'. */
export function dialectOf<DB>(db: Kysely<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
