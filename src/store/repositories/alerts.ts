// Console alerts on SQL: one row each, ids in insertion order, the oldest pruned past a bound.
import type { Selectable } from 'kysely';
import type { Alert, FraudReport, FraudReportStatus } from '../../core/model.ts';
import type { AlertRepository } from '../../core/repositories.ts';
import type { AlertsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toAlert(row: Selectable<AlertsTable>): Alert {
  return {
    at: row.at,
    kind: row.kind as Alert['kind'],
    userId: row.user_id,
    username: row.username,
    application: row.application,
    txid: row.txid,
    ip: row.ip,
  };
}

/** The alert repository bound to `ctx`. */
export function alertRepository({ db }: RepositoryContext): AlertRepository {
  return {
    async append(alert, keep) {
      if (!Number.isSafeInteger(keep) || keep < 1) throw new RangeError('alerts: keep must be at least 1');
      // The id is assigned by the database, so "newest" is insertion order on every node.
      await db
        .insertInto('alerts')
        .values({
          at: alert.at,
          kind: alert.kind,
          user_id: alert.userId,
          username: alert.username,
          application: alert.application,
          txid: alert.txid,
          ip: alert.ip,
        })
        .execute();
      // One statement: the cut-off is the (keep+1)-th newest id this statement sees, so at least `keep` newer rows
      // stay. A row it cannot see (another node's uncommitted insert) is not deleted by it: a race keeps a few
      // extra until the next prune, never fewer than `keep`.
      await db
        .deleteFrom('alerts')
        .where('id', '<=', db.selectFrom('alerts').select('id').orderBy('id', 'desc').limit(1).offset(keep))
        .execute();
    },

    async list(limit) {
      const rows = await db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.reverse().map(toAlert);
    },

    async listReports(limit) {
      const rows = await db
        .selectFrom('alerts')
        .selectAll()
        .where('kind', '=', 'fraud')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map(
        (row): FraudReport => ({
          ...toAlert(row),
          id: String(row.id),
          status: row.status as FraudReportStatus,
        }),
      );
    },

    async setStatus(id, status) {
      if (!/^[0-9]{1,15}$/.test(id)) return false;
      const result = await db
        .updateTable('alerts')
        .set({ status })
        .where('id', '=', Number(id))
        .where('kind', '=', 'fraud')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async countByStatus(status) {
      const row = await db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'fraud')
        .where('status', '=', status)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
