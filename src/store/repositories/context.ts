// What every repository is bound to: a Kysely handle and whether it already runs inside a transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface RepositoryContext {
  db: Kysely<Database>;
  /** True when `db` is a transaction: multi-statement writes then join it instead of opening their own. */
  inTransaction: boolean;
}

/** Runs `work` atomically: in the surrounding transaction if there is one, else in a new one. */
export async function atomic<T>(
  ctx: RepositoryContext,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (ctx.inTransaction) return work(ctx.db);
  return ctx.db.transaction().execute((trx) => work(trx));
}
