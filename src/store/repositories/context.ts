// What every repository is bound to: a Kysely handle and whether it already runs inside a transaction.
import type { Kysely, QueryResult } from 'kysely';
import type { Database } from '../schema.ts';
import { type DirectExecutor, type PreparedQuery, type QueryCache, runPrepared } from './prepared.ts';

export interface RepositoryContext {
  db: Kysely<Database>;
  /** True when `db` is a transaction: multi-statement writes then join it instead of opening their own. */
  inTransaction: boolean;
  /** The store's compiled hot-path queries (see prepared.ts). */
  queries: QueryCache;
  /** Told about each stored reason this version does not know (it is read as `unknown_reason`). */
  onUnknownReason: UnknownReasonHandler;
  /** Set inside a SQLite group-commit batch: prepared queries run on its held connection directly. */
  direct?: DirectExecutor;
}

/** Hears of a transaction `txid` whose stored reason `reason` is not in core/transaction/reasons.ts. */
export type UnknownReasonHandler = (reason: string, txid: string) => void;

/** Without a logger: a process warning, so a stored reason no front can describe is never silent. */
export const warnUnknownReason: UnknownReasonHandler = (reason, txid) =>
  process.emitWarning(
    `transaction ${txid} has the unknown reason ${JSON.stringify(reason)}; read as unknown_reason`,
  );

/** Runs a prepared query on the context's handle (the pool or the open transaction). */
export function run<P extends object, R>(
  ctx: RepositoryContext,
  query: PreparedQuery<P, R>,
  params: P,
): Promise<QueryResult<R>> {
  return runPrepared(ctx.db, ctx.queries, query, params, ctx.direct);
}

/** Runs `work` atomically: in the surrounding transaction if there is one, else in a new one. */
export async function atomic<T>(
  ctx: RepositoryContext,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (ctx.inTransaction) return work(ctx.db);
  return ctx.db.transaction().execute((trx) => work(trx));
}
