// Administrators on SQL: a user's console role.
import { ADMIN_ROLES, type Administrator, type AdminRole } from '../../core/model.ts';
import type { AdministratorRepository } from '../../core/repositories.ts';
import { dialectOf } from '../dialect.ts';
import type { RepositoryContext } from './context.ts';

/** A stored role this version does not know reads as the least one, read-only: never more power than written. */
function readRole(value: string): AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value) ? (value as AdminRole) : 'read-only';
}

function toAdministrator(row: { user_id: string; role: string; created_at: number | string }): Administrator {
  return { userId: row.user_id, role: readRole(row.role), createdAt: Number(row.created_at) };
}

/** The administrator repository bound to `ctx`. */
export function administratorRepository(ctx: RepositoryContext): AdministratorRepository {
  const { db } = ctx;
  return {
    async get(userId) {
      const row = await db
        .selectFrom('administrators')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? toAdministrator(row) : null;
    },

    async list() {
      const rows = await db
        .selectFrom('administrators')
        .selectAll()
        .orderBy('created_at')
        .orderBy('user_id')
        .execute();
      return rows.map(toAdministrator);
    },

    async count(role) {
      let query = db.selectFrom('administrators').select((eb) => eb.fn.countAll<number>().as('n'));
      if (role !== undefined) query = query.where('role', '=', role);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    async add(admin) {
      const result = await db
        .insertInto('administrators')
        .values({ user_id: admin.userId, role: admin.role, created_at: admin.createdAt })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    async setRole(userId, role) {
      const result = await db
        .updateTable('administrators')
        .set({ role })
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async remove(userId) {
      const result = await db.deleteFrom('administrators').where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async lockAll() {
      if (!ctx.inTransaction)
        throw new Error('administrators.lockAll needs a transaction (store.atomically)');
      // SQLite: every transaction begins IMMEDIATE and holds the write lock already.
      if (dialectOf(db) === 'postgres') {
        await db.selectFrom('administrators').select('user_id').forUpdate().execute();
      }
    },
  };
}
