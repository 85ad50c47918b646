// Bypass codes on SQL: spending a use is one conditional UPDATE; a code whose uses reach zero is deleted.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { CountersignError } from '../../core/errors.ts';
import type { BypassCode } from '../../core/model.ts';
import type { BypassCodeRepository } from '../../core/repositories.ts';
import { constraintViolation } from '../db-errors.ts';
import type { BypassCodesTable } from '../schema.ts';
import { atomic, type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const LIST_ACTIVE = prepare('bypassCodes.listActive', (db, p: { userId: string; now: number }) =>
  db
    .selectFrom('bypass_codes')
    .selectAll()
    .where('user_id', '=', p.userId)
    .where((eb) => eb.or([eb('remaining_uses', 'is', null), eb('remaining_uses', '>', 0)]))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', p.now)]))
    .orderBy('created_at')
    .orderBy('id'),
);

// Compare-and-set in the WHERE clause: of parallel attempts on the last use, exactly one updates the row.
// A null remaining_uses (unlimited) stays null: null - 1 is null.
const SPEND_USE = prepare('bypassCodes.spendUse', (db, p: { id: string; now: number }) =>
  db
    .updateTable('bypass_codes')
    .set({ remaining_uses: sql<number | null>`remaining_uses - 1` })
    .where('id', '=', p.id)
    .where((eb) => eb.or([eb('remaining_uses', 'is', null), eb('remaining_uses', '>', 0)]))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', p.now)]))
    .returning('remaining_uses'),
);

const DELETE_CODE = prepare('bypassCodes.delete', (db, p: { id: string }) =>
  db.deleteFrom('bypass_codes').where('id', '=', p.id),
);

function toBypassCode(row: Selectable<BypassCodesTable>): BypassCode {
  return {
    id: row.id,
    userId: row.user_id,
    keyId: row.key_id,
    salt: row.salt,
    hash: row.hash,
    remainingUses: row.remaining_uses,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** The bypass code repository bound to `ctx`. */
export function bypassCodeRepository(ctx: RepositoryContext): BypassCodeRepository {
  const { db } = ctx;
  return {
    async create(code) {
      try {
        await db
          .insertInto('bypass_codes')
          .values({
            id: code.id,
            user_id: code.userId,
            key_id: code.keyId,
            salt: code.salt,
            hash: code.hash,
            remaining_uses: code.remainingUses,
            expires_at: code.expiresAt,
            created_at: code.createdAt,
            created_by: code.createdBy,
          })
          .execute();
      } catch (error) {
        const violation = constraintViolation(error);
        if (violation?.kind === 'foreign_key') throw new CountersignError('USER_NOT_FOUND', code.userId);
        if (violation?.kind === 'unique')
          throw new CountersignError('INVALID_INPUT', `id: code ${code.id} exists`);
        throw error;
      }
    },

    async listActive(userId, now) {
      const { rows } = await run(ctx, LIST_ACTIVE, { userId, now });
      return rows.map(toBypassCode);
    },

    async consume(id, now) {
      return atomic(ctx, async (tx) => {
        const inTx = { ...ctx, db: tx, inTransaction: true };
        const [row] = (await run(inTx, SPEND_USE, { id, now })).rows;
        if (!row) return false;
        if (row.remaining_uses === 0) await run(inTx, DELETE_CODE, { id });
        return true;
      });
    },

    async revokeAll(userId) {
      const result = await db.deleteFrom('bypass_codes').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async listAll() {
      const rows = await db
        .selectFrom('bypass_codes')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toBypassCode);
    },
  };
}
