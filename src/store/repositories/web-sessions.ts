// Browser sessions on SQL: looked up by token hash, ended by revocation or expiry.
import type { Selectable } from 'kysely';
import type { WebSession } from '../../core/model.ts';
import type { WebSessionRepository } from '../../core/repositories.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import type { WebSessionsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toSession(row: Selectable<WebSessionsTable>): WebSession {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as WebSession['kind'],
    csrf: row.csrf,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    mfaAt: row.mfa_at,
    revokedAt: row.revoked_at,
    data: readJsonObject(row.data, 'web_sessions.data'),
  };
}

/** The web session repository bound to `ctx`. */
export function webSessionRepository({ db }: RepositoryContext): WebSessionRepository {
  return {
    async create(session) {
      await db
        .insertInto('web_sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          kind: session.kind,
          csrf: session.csrf,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
          mfa_at: session.mfaAt,
          revoked_at: session.revokedAt,
          data: writeJson(session.data),
        })
        .execute();
    },

    async getActive(id, now) {
      const row = await db
        .selectFrom('web_sessions')
        .selectAll()
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row ? toSession(row) : null;
    },

    async update(id, patch) {
      const set: Partial<WebSessionsTable> = {};
      if (patch.mfaAt !== undefined) set.mfa_at = patch.mfaAt;
      if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
      if (patch.data !== undefined) set.data = writeJson(patch.data);
      if (Object.keys(set).length > 0)
        await db.updateTable('web_sessions').set(set).where('id', '=', id).execute();
    },

    async revoke(id, now) {
      await db.updateTable('web_sessions').set({ revoked_at: now }).where('id', '=', id).execute();
    },

    async revokeAllForUser(userId, now) {
      const result = await db
        .updateTable('web_sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
