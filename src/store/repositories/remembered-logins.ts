// Remembered logins ("remember me") on SQL: looked up by token hash, revocable per user.
import type { Selectable } from 'kysely';
import type { RememberedLogin } from '../../core/model.ts';
import type { RememberedLoginRepository } from '../../core/repositories.ts';
import type { RememberedLoginsTable } from '../schema.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

// Every trusted_device_token the Auth API gives stores one: on the login path.
const CREATE = prepare('rememberedLogins.create', (db, p: RememberedLogin) =>
  db.insertInto('remembered_logins').values({
    id: p.id,
    user_id: p.userId,
    application_id: p.applicationId,
    created_at: p.createdAt,
    expires_at: p.expiresAt,
    revoked_at: p.revokedAt,
  }),
);

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
export function rememberedLoginRepository(ctx: RepositoryContext): RememberedLoginRepository {
  const { db } = ctx;
  return {
    async create(login) {
      await run(ctx, CREATE, login);
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
