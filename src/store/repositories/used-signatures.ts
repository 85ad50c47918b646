// Used signatures on SQL: one insert per claim, and the primary key refuses a second one on every node.
import type { UsedSignatureRepository } from '../../core/repositories.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

// ON CONFLICT DO NOTHING instead of catching a unique violation: on PostgreSQL a failed insert would abort a
// surrounding transaction. RETURNING says who won: only the inserting claim gets its row back.
const CLAIM = prepare('usedSignatures.claim', (db, p: { key: string; expiresAt: number }) =>
  db
    .insertInto('used_signatures')
    .values({ key: p.key, expires_at: p.expiresAt })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key'),
);

/** The used-signature repository bound to `ctx`. */
export function usedSignatureRepository(ctx: RepositoryContext): UsedSignatureRepository {
  return {
    async claim(key, expiresAt) {
      const result = await run(ctx, CLAIM, { key, expiresAt });
      return result.rows.length === 1;
    },

    async release(key) {
      await ctx.db.deleteFrom('used_signatures').where('key', '=', key).execute();
    },

    async purge(before) {
      const result = await ctx.db
        .deleteFrom('used_signatures')
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
