// Texted codes on SQL: a batch replaces the old one in one transaction; spending a code is one conditional DELETE.
import type { Selectable } from 'kysely';
import type { SmsPasscode, SmsPasscodePurpose } from '../../core/model.ts';
import type { SmsPasscodeRepository } from '../../core/repositories.ts';
import type { SmsPasscodesTable } from '../schema.ts';
import { atomic, type RepositoryContext } from './context.ts';

function toSmsPasscode(row: Selectable<SmsPasscodesTable>): SmsPasscode {
  return {
    id: row.id,
    userId: row.user_id,
    purpose: row.purpose as SmsPasscodePurpose,
    phone: row.phone,
    keyId: row.key_id,
    salt: row.salt,
    hash: row.hash,
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
  };
}

/** The texted-code repository bound to `ctx`. */
export function smsPasscodeRepository(ctx: RepositoryContext): SmsPasscodeRepository {
  const { db } = ctx;
  return {
    async replaceBatch(userId, purpose, codes) {
      await atomic(ctx, async (tx) => {
        await tx
          .deleteFrom('sms_passcodes')
          .where('user_id', '=', userId)
          .where('purpose', '=', purpose)
          .execute();
        if (codes.length === 0) return;
        await tx
          .insertInto('sms_passcodes')
          .values(
            codes.map((code) => ({
              id: code.id,
              user_id: code.userId,
              purpose: code.purpose,
              phone: code.phone,
              key_id: code.keyId,
              salt: code.salt,
              hash: code.hash,
              expires_at: code.expiresAt,
              created_at: code.createdAt,
            })),
          )
          .execute();
      });
    },

    async listActive(userId, purpose, now) {
      const rows = await db
        .selectFrom('sms_passcodes')
        .selectAll()
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .orderBy('id')
        .execute();
      return rows.map(toSmsPasscode);
    },

    async consume(id, now) {
      // Compare-and-set: of parallel attempts with one code, exactly one deletes the row.
      const result = await db
        .deleteFrom('sms_passcodes')
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async purge(before) {
      const result = await db.deleteFrom('sms_passcodes').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
