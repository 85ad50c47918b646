// The telephony log and the daily credit budget on SQL: one row per message or call, one row per UTC day.
import type { Selectable } from 'kysely';
import type { TelephonyLogEntry } from '../../core/model.ts';
import type { TelephonyRepository } from '../../core/repositories.ts';
import type { TelephonyLogTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toEntry(row: Selectable<TelephonyLogTable>): TelephonyLogEntry {
  return {
    id: row.id,
    at: Number(row.at),
    context: row.context as TelephonyLogEntry['context'],
    type: row.type as TelephonyLogEntry['type'],
    phone: row.phone,
    credits: Number(row.credits),
    userId: row.user_id,
    provider: row.provider,
    providerRef: row.provider_ref,
    status: row.status as TelephonyLogEntry['status'],
  };
}

/** The telephony repository bound to `ctx`. */
export function telephonyRepository({ db }: RepositoryContext): TelephonyRepository {
  return {
    async append(entry) {
      await db
        .insertInto('telephony_log')
        .values({
          id: entry.id,
          at: entry.at,
          context: entry.context,
          type: entry.type,
          phone: entry.phone,
          credits: entry.credits,
          user_id: entry.userId,
          provider: entry.provider,
          provider_ref: entry.providerRef,
          status: entry.status,
        })
        .execute();
    },

    async list({ mintime, maxtime, limit }) {
      let query = db.selectFrom('telephony_log').selectAll();
      if (mintime !== undefined) query = query.where('at', '>=', mintime);
      if (maxtime !== undefined) query = query.where('at', '<=', maxtime);
      const rows = await query.orderBy('at').orderBy('id').limit(limit).execute();
      return rows.map(toEntry);
    },

    async spendCredits(day, credits, budget) {
      if (!Number.isSafeInteger(credits) || credits < 0)
        throw new RangeError('telephony: credits must be >= 0');
      if (budget !== null && credits > budget) return false;
      await db
        .insertInto('telephony_credits')
        .values({ day, spent: 0 })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      // One statement reads and writes the day's row: PostgreSQL re-checks the condition on the row it locked,
      // SQLite has one writer; either way two sends cannot both pass on the same remaining credits.
      let update = db
        .updateTable('telephony_credits')
        .set((eb) => ({ spent: eb('spent', '+', credits) }))
        .where('day', '=', day);
      if (budget !== null) update = update.where((eb) => eb(eb('spent', '+', credits), '<=', budget));
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async refundCredits(day, credits) {
      await db
        .updateTable('telephony_credits')
        .set((eb) => ({
          spent: eb
            .case()
            .when('spent', '>', credits)
            .then(eb('spent', '-', credits))
            .else(0)
            .end(),
        }))
        .where('day', '=', day)
        .execute();
    },

    async creditsSpent(day) {
      const row = await db
        .selectFrom('telephony_credits')
        .select('spent')
        .where('day', '=', day)
        .executeTakeFirst();
      return row ? Number(row.spent) : 0;
    },
  };
}
