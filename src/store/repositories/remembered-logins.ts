// Remembered logins ("remember me") on SQL: looked up by token hash, revocable per user.
import type { Selectable } from 'kysely';
import type { RememberedLogin } from '../../core/model.ts';
import type { RememberedLoginRepository } from '../../core/repositories.ts';
import type { RememberedLoginsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toLogin(row: Selectable<RememberedLoginsTable>): RememberedLogin {
  return {
    id: row.id,
    userId: row.user_id,
    applicationId: row.application_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** The remembered-login repository bound to `ctx`. */
export function rememberedLoginRepository({ db }: RepositoryContext): RememberedLoginRepository {
  return {
    async create(login) {
      await db
        .insertInto('remembered_logins')
        .values({
          id: login.id,
          user_id: login.userId,
          application_id: login.applicationId,
          created_at: login.createdAt,
          expires_at: login.expiresAt,
          revoked_at: login.revokedAt,
        })
        .execute();
    },

    async getActive(id, now) {
      const row = await db
        .selectFrom('remembered_logins')
        .selectAll()
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row ? toLogin(row) : null;
    },

    async revokeAllForUser(userId, now) {
      const result = await db
        .updateTable('remembered_logins')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
