// Settings on SQL: a key and a JSON value.
import type { SettingsRepository } from '../../core/repositories.ts';
import { dialectOf } from '../dialect.ts';
import { readJson, writeJson } from '../json-column.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const GET_SETTING = prepare('settings.get', (db, p: { key: string }) =>
  db.selectFrom('settings').select('value').where('key', '=', p.key),
);

/** The settings repository bound to `ctx`. */
export function settingsRepository(ctx: RepositoryContext): SettingsRepository {
  const { db } = ctx;
  async function get<T>(key: string): Promise<T | null> {
    const [row] = (await run(ctx, GET_SETTING, { key })).rows;
    // The caller names the type it stored; the store cannot check it.
    return row ? (readJson(row.value, `settings.value (key ${key})`) as T) : null;
  }
  return {
    get,

    async getForUpdate<T>(key: string): Promise<T | null> {
      if (!ctx.inTransaction) throw new Error('settings.getForUpdate needs a transaction (store.atomically)');
      // SQLite: every transaction begins IMMEDIATE and holds the write lock already.
      if (dialectOf(db) === 'postgres') {
        // A row to lock even for a key never set: a JSON null reads back as "not set". A concurrent first
        // insert of the same key waits here for ours to commit, then finds the row and waits on its lock.
        await db
          .insertInto('settings')
          .values({ key, value: writeJson(null) })
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();
        const row = await db
          .selectFrom('settings')
          .select('value')
          .where('key', '=', key)
          .forUpdate()
          .executeTakeFirst();
        return row ? (readJson(row.value, `settings.value (key ${key})`) as T | null) : null;
      }
      return get<T>(key);
    },

    async set(key, value) {
      const text = writeJson(value);
      await db
        .insertInto('settings')
        .values({ key, value: text })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: text }))
        .execute();
    },
  };
}
