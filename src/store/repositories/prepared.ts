// Hot-path queries built and compiled once per store, then re-run as a CompiledQuery with new parameters.
// Kysely builds and compiles a query tree on every call; on the login path that was ~20% of the CPU time.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from '../schema.ts';

/** Stands in for a named parameter while a query is compiled; replaced by the real value on each run. */
class Slot {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }
}

/** A query shape with named parameters `P`, compiled once per store (its SQL differs between dialects). */
export interface PreparedQuery<P, R> {
  readonly label: string;
  readonly build: (db: Kysely<Database>, params: P) => Compilable<R>;
}

/** A compiled shape: the SQL, and for each bound parameter either a fixed value or the slot it comes from. */
interface CompiledShape {
  compiled: CompiledQuery;
  bindings: ReadonlyArray<{ slot: string } | { value: unknown }>;
}

/** Compiled shapes of one store, shared by its pool and its transactions (same dialect, same SQL). */
export type QueryCache = Map<PreparedQuery<never, unknown>, CompiledShape>;

/** Declares a query shape; `build` reads its parameters from `params` and must use each only as a value. */
export function prepare<P extends object, R>(
  label: string,
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): PreparedQuery<P, R> {
  return { label, build };
}

/** An empty cache for a new store. */
export function createQueryCache(): QueryCache {
  return new Map();
}

// The SQL of every compiled shape, with the name PostgreSQL may keep it under: a bounded set (shapes are declared
// once per module), so a connection holds a few dozen prepared statements at most.
const statementNames = new Map<string, string>();

/** The prepared-statement name of `sql` when it is a hot-path shape (postgres.ts), else undefined. */
export function preparedStatementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

function compileShape<P, R>(db: Kysely<Database>, query: PreparedQuery<P, R>): CompiledShape {
  // Every property read on the stand-in parameters yields a Slot that Kysely binds like any other value.
  const slots = new Proxy({} as Record<string, Slot>, {
    get: (_target, name) => new Slot(String(name)),
  }) as unknown as P;
  const compiled = query.build(db, slots).compile();
  const bindings = compiled.parameters.map((value) =>
    value instanceof Slot ? { slot: value.name } : { value },
  );
  if (!statementNames.has(compiled.sql))
    statementNames.set(compiled.sql, `countersign_${statementNames.size}`);
  return { compiled, bindings };
}

/**
 * Runs SQL synchronously on a connection its caller holds (SQLite inside a group-commit batch), answering as
 * Kysely's driver would: Kysely's executor, its connection mutex and its promises cost more than the statement.
 */
export type DirectExecutor = (sql: string, parameters: ReadonlyArray<unknown>) => QueryResult<unknown>;

/** Runs `query` on `db` (or `direct`, when given) with `params`, compiling it into `cache` the first time. */
export function runPrepared<P extends object, R>(
  db: Kysely<Database>,
  cache: QueryCache,
  query: PreparedQuery<P, R>,
  params: P,
  direct?: DirectExecutor,
): Promise<QueryResult<R>> {
  const key = query as unknown as PreparedQuery<never, unknown>;
  let shape = cache.get(key);
  if (!shape) {
    shape = compileShape(db, query);
    cache.set(key, shape);
  }
  const values = params as Record<string, unknown>;
  const parameters = shape.bindings.map((binding) =>
    'slot' in binding ? values[binding.slot] : binding.value,
  );
  if (!direct) return db.executeQuery<R>({ ...shape.compiled, parameters });
  try {
    return Promise.resolve(direct(shape.compiled.sql, parameters) as QueryResult<R>);
  } catch (error) {
    return Promise.reject(error);
  }
}
