// The store's edge: every repository call and transaction reports a lost database as STORE_UNAVAILABLE, so no
// front has to recognise driver errors (a RADIUS client's failmode, the Auth API's 50301, a JSON front's 503).
import type { Repositories } from '../core/repositories.ts';
import { asStoreError } from './db-errors.ts';
import { lazyRepositories } from './repositories/index.ts';

function rethrow(error: unknown): never {
  throw asStoreError(error);
}

/** `work()` with a connection failure it throws or rejects with turned into STORE_UNAVAILABLE. */
export function guarded<T>(work: () => T): T {
  try {
    const result = work();
    // Not `async`: the hot path keeps its one promise, the guard only adds a rejection handler.
    return (result instanceof Promise ? result.catch(rethrow) : result) as T;
  } catch (error) {
    rethrow(error);
  }
}

function guardRepository<R extends object>(repository: R): R {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(repository)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => guarded(() => member.apply(repository, args))
        : member;
  }
  return wrapped as R;
}

/** `repos` whose every method reports a lost database as STORE_UNAVAILABLE; each wrapped when first used. */
export function guardRepositories(repos: Repositories): Repositories {
  return lazyRepositories((name) => guardRepository(repos[name]));
}
