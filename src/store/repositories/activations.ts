// Device activations on SQL: single use by compare-and-set, expiring.
import type { Selectable } from 'kysely';
import type { Activation } from '../../core/model.ts';
import type { ActivationRepository } from '../../core/repositories.ts';
import type { ActivationsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toActivation(row: Selectable<ActivationsTable>): Activation {
  return {
    id: row.id,
    codeHash: row.code_hash,
    userId: row.user_id,
    replacesDeviceId: row.replaces_device_id,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    deviceId: row.device_id,
  };
}

/** The activation repository bound to `ctx`. */
export function activationRepository({ db }: RepositoryContext): ActivationRepository {
  return {
    async create(activation) {
      await db
        .insertInto('activations')
        .values({
          id: activation.id,
          code_hash: activation.codeHash,
          user_id: activation.userId,
          replaces_device_id: activation.replacesDeviceId,
          name: activation.name,
          created_at: activation.createdAt,
          expires_at: activation.expiresAt,
          used_at: activation.usedAt,
          device_id: activation.deviceId,
        })
        .execute();
    },

    async findByCodeHash(codeHash) {
      const row = await db
        .selectFrom('activations')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return row ? toActivation(row) : null;
    },

    async markUsed(id, deviceId, now) {
      const result = await db
        .updateTable('activations')
        .set({ used_at: now, device_id: deviceId })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async revokeForUser(userId, now) {
      await db
        .updateTable('activations')
        .set({ expires_at: now })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
    },
  };
}
