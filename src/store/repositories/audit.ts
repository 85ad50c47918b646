// The audit log on SQL: append-only, read back as a tail ordered by id.
import type { Selectable } from 'kysely';
import type { AuditEntry } from '../../core/model.ts';
import type { AuditRepository } from '../../core/repositories.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import type { AuditLogTable } from '../schema.ts';
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
  };
}
