// Settings on SQL: a key and a JSON value.
import type { SettingsRepository } from '../../core/repositories.ts';
import { readJson, writeJson } from '../json-column.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const GET_SETTING = prepare('settings.get', (db, p: { key: string }) =>
  db.selectFrom('settings').select('value').where('key', '=', p.key),
);

/** The settings repository bound to `ctx`. */
export function settingsRepository(ctx: RepositoryContext): SettingsRepository {
  const { db } = ctx;
  return {
    async get<T>(key: string): Promise<T | null> {
      const [row] = (await run(ctx, GET_SETTING, { key })).rows;
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
