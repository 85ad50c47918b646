// Group commit for SQLite: concurrent `atomically` calls share one database transaction and one COMMIT.
//
// SQLite has one writer and, here, one connection: logins already ran one after the other, each paying BEGIN
// IMMEDIATE, its statements and a COMMIT that writes every page it touched to the WAL. Batched, the pages that
// every login touches (the tail of audit_log and auth_transactions, their index leaves) are written once per
// batch, and BEGIN/COMMIT once per batch. Each work runs inside a SAVEPOINT of its own, so a work that throws
// rolls back only its own writes; each caller is answered only after the COMMIT that holds its writes, so an
// answer the client saw is on disk (WAL) before it is sent. A failed COMMIT fails every work of its batch.
import type { Kysely, SqliteDatabase } from 'kysely';
import type { Repositories } from '../core/repositories.ts';
import type { Database } from './schema.ts';
import { isNoTransactionActive } from './sqlite-database.ts';

/** Works in one batch at most: bounds the latency a caller waits for others' works before its answer. */
export const MAX_BATCH = 64;

interface Pending {
  work: (repos: Repositories) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs `work` functions in shared transactions on `db`, whose one connection is `connection`; `reposOn` binds the
 * repositories to the held connection. BEGIN, the savepoints and COMMIT run on `connection` directly: through
 * Kysely each was a trip through its executor and connection mutex, several per login (issue 14).
 */
export function groupCommitter(
  db: Kysely<Database>,
  connection: SqliteDatabase,
  reposOn: (held: Kysely<Database>) => Repositories,
  maxBatch = MAX_BATCH,
): <T>(work: (repos: Repositories) => Promise<T>) => Promise<T> {
  const queue: Pending[] = [];
  let scheduled = false;
  const exec = (statement: string) => connection.prepare(statement).run([]);

  function rollback(): void {
    try {
      exec('rollback');
    } catch (error) {
      if (!isNoTransactionActive(error)) throw error;
    }
  }

  async function runWorks(batch: Pending[], repos: Repositories): Promise<Outcome[]> {
    const [only] = batch;
    // Alone in its transaction: its failure rolls the transaction back, no savepoint needed.
    if (batch.length === 1 && only) return [{ ok: true, value: await only.work(repos) }];
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      exec('savepoint countersign_work');
      try {
        const value = await pending.work(repos);
        exec('release countersign_work');
        outcomes.push({ ok: true, value });
      } catch (error) {
        // Undoes this work's writes only. If SQLite already rolled the whole transaction back (a full disk,
        // an I/O error), there is no savepoint left: the batch then fails as a whole, with this work's error.
        try {
          exec('rollback to countersign_work');
          exec('release countersign_work');
        } catch {
          throw error;
        }
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  // The connection is held through Kysely, so nothing else that uses `db` (a ping, a migration) runs inside
  // the batch's transaction.
  function runBatch(batch: Pending[]): Promise<Outcome[]> {
    return db.connection().execute(async (held) => {
      const repos = reposOn(held);
      exec('begin immediate');
      try {
        const outcomes = await runWorks(batch, repos);
        exec('commit');
        return outcomes;
      } catch (error) {
        rollback();
        throw error;
      }
    });
  }

  // One batch per turn of the event loop, started from setImmediate: node:sqlite is synchronous, so a batch
  // started at once would run to its COMMIT before any other request is read, and every batch would hold one
  // work. Waiting for the check phase lets every request read in this poll phase join the same COMMIT.
  async function drain(): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    try {
      const outcomes = await runBatch(batch);
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) pending.resolve(outcome.value);
        else pending.reject(outcome?.error);
      });
    } catch (error) {
      // Nothing of the batch committed: every caller in it is told, with the error that ended it (a work's own
      // error when it ran alone).
      for (const pending of batch) pending.reject(error);
    } finally {
      scheduled = queue.length > 0;
      if (scheduled) setImmediate(drain);
    }
  }

  return <T>(work: (repos: Repositories) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
}

const ONLY_IN_ATOMICALLY = new Set(['settings.getForUpdate']);

/**
 * `shape`'s repositories with every call run as its own work in `transact`: on SQLite a single statement outside
 * a transaction is a transaction (and a WAL commit) of its own, so single writes (a signature claimed, a remembered
 * login stored) join the batch's COMMIT too, and reads wait behind the batch as they waited for the connection.
 */
export function batchedRepositories(
  shape: Repositories,
  transact: <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>,
): Repositories {
  const batched: Record<string, Record<string, unknown>> = {};
  for (const [name, repository] of Object.entries(shape)) {
    const methods: Record<string, unknown> = {};
    for (const [method, member] of Object.entries(repository as object)) {
      if (typeof member !== 'function') continue;
      // Its lock lasts until the surrounding `atomically` ends: called alone it has none, and keeps refusing.
      if (ONLY_IN_ATOMICALLY.has(`${name}.${method}`)) {
        methods[method] = member;
        continue;
      }
      methods[method] = (...args: unknown[]) =>
        transact((repos) => {
          const target = (repos as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
            name
          ];
          return target![method]!(...args) as Promise<unknown>;
        });
    }
    batched[name] = methods;
  }
  return batched as unknown as Repositories;
}
