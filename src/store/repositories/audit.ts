// The audit log on SQL: append-only, read back as a tail ordered by id.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEntry } from '../../core/model.ts';
import type { AuditQuery, AuditRepository } from '../../core/repositories.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import type { AuditLogTable, Database } from '../schema.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

// The id is always assigned by the database so it grows in insertion order.
const APPEND = prepare('audit.append', (db, p: Omit<AuditLogTable, 'id'>) =>
  db.insertInto('audit_log').values({
    at: p.at,
    kind: p.kind,
    action: p.action,
    actor: p.actor,
    user_id: p.user_id,
    username: p.username,
    application_id: p.application_id,
    factor: p.factor,
    result: p.result,
    reason: p.reason,
    ip: p.ip,
    detail: p.detail,
  }),
);

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind as AuditEntry['kind'],
    action: row.action,
    actor: row.actor,
    userId: row.user_id,
    username: row.username,
    applicationId: row.application_id,
    factor: row.factor,
    result: row.result,
    reason: row.reason,
    ip: row.ip,
    detail: readJsonObject(row.detail, 'audit_log.detail'),
  };
}

/** One UTC day in milliseconds. */
const DAY_MS = 86_400_000;

/** The entries `query` selects: one kind in a time window (the kind_at_id index), narrowed by its lists. */
function selected(db: Kysely<Database>, query: AuditQuery) {
  let select = db
    .selectFrom('audit_log')
    .where('kind', '=', query.kind)
    .where('at', '>=', query.from)
    .where('at', '<=', query.to);
  // '' matches no stored value: an empty list keeps `in (…)` valid SQL and selects nothing.
  const among = (values: readonly string[]) => [...values, ''];
  if (query.actions) select = select.where('action', 'in', among(query.actions));
  if (query.userIds) select = select.where('user_id', 'in', among(query.userIds));
  if (query.applicationIds) select = select.where('application_id', 'in', among(query.applicationIds));
  if (query.results) select = select.where('result', 'in', among(query.results));
  if (query.factors) select = select.where('factor', 'in', among(query.factors));
  if (query.reasons) select = select.where('reason', 'in', among(query.reasons));
  if (query.groups !== undefined) {
    const groups = among(query.groups);
    select = select.where('user_id', 'in', (eb) =>
      eb.selectFrom('user_groups').select('user_id').where('group_name', 'in', groups),
    );
  }
  return select;
}

/** The audit repository bound to `ctx`. */
export function auditRepository(ctx: RepositoryContext): AuditRepository {
  const { db } = ctx;
  return {
    async append(entry) {
      await run(ctx, APPEND, {
        at: entry.at,
        kind: entry.kind,
        action: entry.action,
        actor: entry.actor,
        user_id: entry.userId,
        username: entry.username,
        application_id: entry.applicationId,
        factor: entry.factor,
        result: entry.result,
        reason: entry.reason,
        ip: entry.ip,
        detail: writeJson(entry.detail),
      });
    },

    async tail({ limit, afterId, kind }) {
      let query = db.selectFrom('audit_log').selectAll();
      if (afterId !== undefined) query = query.where('id', '>', afterId);
      if (kind !== undefined) query = query.where('kind', '=', kind);
      // Newest `limit` first from the database, then reversed so callers read oldest first.
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.reverse().map(toEntry);
    },

    async list(query, { limit, order, after }) {
      let select = selected(db, query);
      if (after !== undefined) {
        // Row-value comparison written out: (at, id) strictly beyond the cursor in the page's direction.
        const beyond = order === 'desc' ? '<' : '>';
        select = select.where((eb) =>
          eb.or([eb('at', beyond, after.at), eb.and([eb('at', '=', after.at), eb('id', beyond, after.id)])]),
        );
      }
      const rows = await select.selectAll().orderBy('at', order).orderBy('id', order).limit(limit).execute();
      return rows.map(toEntry);
    },

    async count(query, atMost) {
      if (atMost === undefined) {
        const row = await selected(db, query)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      }
      // Counting rows of a LIMITed subquery stops the scan at `atMost`.
      const row = await db
        .selectFrom(selected(db, query).select('id').limit(atMost).as('bounded'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async countByDay(query) {
      // `at` and `result` both sit in the kind_action_at_result index (migration 0014): the count reads it alone.
      const day = sql<number>`(at - (at % ${sql.lit(DAY_MS)}))`;
      const rows = await selected(db, query)
        .select([day.as('day'), 'result', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy([day, 'result'])
        .execute();
      return rows.map((row) => ({ day: Number(row.day), result: row.result, count: Number(row.n) }));
    },
  };
}
