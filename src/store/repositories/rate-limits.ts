// Rate limits on SQL: GCRA in one upsert per attempt, so parallel attempts on any node each count exactly once.
import { sql } from 'kysely';
import type { RateLimitRepository } from '../../core/repositories.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

/** A parameter typed for both dialects (PostgreSQL cannot infer the type of `$1 - $2`). */
const big = (value: number) => sql<number>`cast(${value} as bigint)`;

/**
 * GCRA (the generic cell rate algorithm): `tat` is when the key's budget is whole again; an attempt passes when
 * `tat - now <= tolerance` and moves `tat` one interval on from max(tat, now). A refusal leaves `tat` alone and
 * counts towards the audit summary. Every SET expression reads the row as it was before this statement.
 */
const TAKE = prepare(
  'rateLimits.take',
  (db, p: { key: string; now: number; interval: number; tolerance: number }) => {
    const passes = sql<boolean>`(rate_limits.tat - ${big(p.now)} <= ${big(p.tolerance)})`;
    const from = sql<number>`(case when rate_limits.tat > ${big(p.now)} then rate_limits.tat else ${big(p.now)} end)`;
    return db
      .insertInto('rate_limits')
      .values({
        key: p.key,
        tat: sql<number>`${big(p.now)} + ${big(p.interval)}`,
        last_allowed: 1,
        refused: 0,
        refused_since: null,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          tat: sql<number>`case when ${passes} then ${from} + ${big(p.interval)} else rate_limits.tat end`,
          last_allowed: sql<number>`case when ${passes} then 1 else 0 end`,
          refused: sql<number>`rate_limits.refused + case when ${passes} then 0 else 1 end`,
          refused_since: sql<
            number | null
          >`case when ${passes} then rate_limits.refused_since else coalesce(rate_limits.refused_since, ${big(p.now)}) end`,
        }),
      )
      .returning(['tat', 'last_allowed']);
  },
);

/** Moves `tat` back one interval: the attempt `take` let through no longer counts. */
const GIVE_BACK = prepare('rateLimits.giveBack', (db, p: { key: string; interval: number }) =>
  db
    .updateTable('rate_limits')
    .set({ tat: sql<number>`rate_limits.tat - ${big(p.interval)}` })
    .where('key', '=', p.key),
);

/** The rate limit repository bound to `ctx`. */
export function rateLimitRepository(ctx: RepositoryContext): RateLimitRepository {
  const { db } = ctx;
  return {
    async take(key, now, rule) {
      const tolerance = (rule.burst - 1) * rule.intervalMs;
      const [row] = (await run(ctx, TAKE, { key, now, interval: rule.intervalMs, tolerance })).rows;
      if (!row) throw new Error(`rate limit ${key}: the upsert returned no row`);
      const allowed = Number(row.last_allowed) === 1;
      return { allowed, retryAfterMs: allowed ? 0 : Math.max(0, Number(row.tat) - tolerance - now) };
    },

    async giveBack(key, rule) {
      await run(ctx, GIVE_BACK, { key, interval: rule.intervalMs });
    },

    async listPendingRefusals(before, limit) {
      const rows = await db
        .selectFrom('rate_limits')
        .select(['key', 'refused', 'refused_since'])
        .where('refused', '>', 0)
        .where('refused_since', '<', before)
        .orderBy('refused_since')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        key: row.key,
        refused: row.refused,
        refusedSince: Number(row.refused_since),
      }));
    },

    async pendingRefusals(key) {
      const row = await db
        .selectFrom('rate_limits')
        .select(['key', 'refused', 'refused_since'])
        .where('key', '=', key)
        .where('refused', '>', 0)
        .executeTakeFirst();
      return row ? { key: row.key, refused: row.refused, refusedSince: Number(row.refused_since) } : null;
    },

    async markSummarised(pending, now) {
      // Subtracting (not zeroing) keeps refusals that arrived between the read and this write; the WHERE on
      // refused_since makes a second summariser of the same refusals change nothing.
      const result = await db
        .updateTable('rate_limits')
        .set({
          refused: sql<number>`refused - ${pending.refused}`,
          refused_since: sql<
            number | null
          >`case when refused - ${pending.refused} > 0 then ${big(now)} else null end`,
        })
        .where('key', '=', pending.key)
        .where('refused_since', '=', pending.refusedSince)
        .where('refused', '>=', pending.refused)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async purge(now) {
      const result = await db
        .deleteFrom('rate_limits')
        .where('refused', '=', 0)
        .where('tat', '<', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
