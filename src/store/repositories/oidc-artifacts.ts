// The OpenID Connect provider's artifacts on SQL: one table for every model, consumed by compare-and-set.
import type { Selectable } from 'kysely';
import type { OidcArtifact } from '../../core/model.ts';
import type { OidcArtifactRepository } from '../../core/repositories.ts';
import type { OidcPayloadsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toArtifact(row: Selectable<OidcPayloadsTable>): OidcArtifact {
  return {
    model: row.model,
    id: row.id,
    payloadSealed: row.payload_sealed,
    grantId: row.grant_id,
    uid: row.uid,
    userCode: row.user_code,
    accountId: row.account_id,
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
  };
}

/** The OIDC artifact repository bound to `ctx`. */
export function oidcArtifactRepository({ db }: RepositoryContext): OidcArtifactRepository {
  const live = (now: number) =>
    db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  return {
    async upsert(artifact) {
      const columns = {
        payload_sealed: artifact.payloadSealed,
        grant_id: artifact.grantId,
        uid: artifact.uid,
        user_code: artifact.userCode,
        account_id: artifact.accountId,
        expires_at: artifact.expiresAt,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ model: artifact.model, id: artifact.id, ...columns, consumed_at: artifact.consumedAt })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(columns))
        .execute();
    },

    async find(model, id, now) {
      const row = await live(now).where('model', '=', model).where('id', '=', id).executeTakeFirst();
      return row ? toArtifact(row) : null;
    },

    async findByUid(model, uid, now) {
      const row = await live(now).where('model', '=', model).where('uid', '=', uid).executeTakeFirst();
      return row ? toArtifact(row) : null;
    },

    async findByUserCode(model, userCode, now) {
      const row = await live(now)
        .where('model', '=', model)
        .where('user_code', '=', userCode)
        .executeTakeFirst();
      return row ? toArtifact(row) : null;
    },

    async consume(model, id, now) {
      const result = await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: now })
        .where('model', '=', model)
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async destroy(model, id) {
      await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
    },

    async revokeByGrantId(grantId) {
      const result = await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async listForAccount(model, accountId, now) {
      const rows = await live(now).where('model', '=', model).where('account_id', '=', accountId).execute();
      return rows.map(toArtifact);
    },

    async revokeByAccount(accountId) {
      const result = await db
        .deleteFrom('oidc_payloads')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async purge(now) {
      const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
