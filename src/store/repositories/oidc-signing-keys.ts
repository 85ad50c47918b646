// The OpenID Connect provider's signing keys on SQL: created once each, promoted in one database transaction.
import type { Selectable } from 'kysely';
import type { OidcSigningKey } from '../../core/model.ts';
import type { OidcSigningKeyRepository } from '../../core/repositories.ts';
import type { OidcSigningKeysTable } from '../schema.ts';
import { atomic, type RepositoryContext } from './context.ts';

function toKey(row: Selectable<OidcSigningKeysTable>): OidcSigningKey {
  return {
    kid: row.kid,
    state: row.state as OidcSigningKey['state'],
    privateKeySealed: row.private_key_sealed,
    createdAt: row.created_at,
    promotedAt: row.promoted_at,
    retiredAt: row.retired_at,
  };
}

/** The signing-key repository bound to `ctx`. */
export function oidcSigningKeyRepository(ctx: RepositoryContext): OidcSigningKeyRepository {
  const { db } = ctx;
  return {
    async create(key) {
      await db
        .insertInto('oidc_signing_keys')
        .values({
          kid: key.kid,
          state: key.state,
          private_key_sealed: key.privateKeySealed,
          created_at: key.createdAt,
          promoted_at: key.promotedAt,
          retired_at: key.retiredAt,
        })
        .execute();
    },

    async list() {
      const rows = await db
        .selectFrom('oidc_signing_keys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
      return rows.map(toKey);
    },

    promote(kid, now) {
      return atomic(ctx, async (trx) => {
        // The compare-and-set on `next` comes first: of two rotations at once, one promotes and the other stops.
        const promoted = await trx
          .updateTable('oidc_signing_keys')
          .set({ state: 'current', promoted_at: now })
          .where('kid', '=', kid)
          .where('state', '=', 'next')
          .executeTakeFirst();
        if (Number(promoted.numUpdatedRows) !== 1) return false;
        await trx
          .updateTable('oidc_signing_keys')
          .set({ state: 'retired', retired_at: now })
          .where('state', '=', 'current')
          .where('kid', '!=', kid)
          .execute();
        return true;
      });
    },

    async remove(kid) {
      await db.deleteFrom('oidc_signing_keys').where('kid', '=', kid).execute();
    },

    async updateSealedKey(kid, privateKeySealed) {
      await db
        .updateTable('oidc_signing_keys')
        .set({ private_key_sealed: privateKeySealed })
        .where('kid', '=', kid)
        .execute();
    },
  };
}
