// Universal Prompt authorization codes on SQL: spent once by compare-and-set, short-lived.
import type { OAuthCodeRepository } from '../../core/repositories.ts';
import type { RepositoryContext } from './context.ts';

/** The authorization-code repository bound to `ctx`. */
export function oauthCodeRepository({ db }: RepositoryContext): OAuthCodeRepository {
  return {
    async create(code) {
      await db
        .insertInto('oauth_codes')
        .values({
          id: code.id,
          client_id: code.clientId,
          redirect_uri: code.redirectUri,
          username: code.username,
          nonce: code.nonce,
          txid: code.txid,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
          used_at: code.usedAt,
        })
        .execute();
    },

    async consume(id, now) {
      const spent = await db
        .updateTable('oauth_codes')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) return null;
      const row = await db
        .selectFrom('oauth_codes')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        username: row.username,
        nonce: row.nonce,
        txid: row.txid,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      };
    },
  };
}
