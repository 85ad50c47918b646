// Settings on SQL: a key and a JSON value.
import type { SettingsRepository } from '../../core/repositories.ts';
import { readJson, writeJson } from '../json-column.ts';
import type { RepositoryContext } from './context.ts';

/** The settings repository bound to `ctx`. */
export function settingsRepository(ctx: RepositoryContext): SettingsRepository {
  const { db } = ctx;
  return {
    async get<T>(key: string): Promise<T | null> {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      // The caller names the type it stored; the store cannot check it.
      return row ? (readJson(row.value, `settings.value (key ${key})`) as T) : null;
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
