// Builds every repository bound to one Kysely handle (the pool or one transaction).
import type { Kysely } from 'kysely';
import type { Repositories } from '../../core/repositories.ts';
import type { Database } from '../schema.ts';
import { activationRepository } from './activations.ts';
import { administratorRepository } from './administrators.ts';
import { alertRepository } from './alerts.ts';
import { applicationRepository } from './applications.ts';
import { auditRepository } from './audit.ts';
import { authenticatorRepository } from './authenticators.ts';
import { bypassCodeRepository } from './bypass-codes.ts';
import type { UnknownReasonHandler } from './context.ts';
import { groupRepository } from './groups.ts';
import { liveTicketRepository } from './live-tickets.ts';
import { oauthCodeRepository } from './oauth-codes.ts';
import { oidcArtifactRepository } from './oidc-artifacts.ts';
import { oidcSigningKeyRepository } from './oidc-signing-keys.ts';
import type { DirectExecutor, QueryCache } from './prepared.ts';
import { rateLimitRepository } from './rate-limits.ts';
import { rememberedLoginRepository } from './remembered-logins.ts';
import { settingsRepository } from './settings.ts';
import { smsPasscodeRepository } from './sms-passcodes.ts';
import { telephonyRepository } from './telephony.ts';
import { transactionRepository } from './transactions.ts';
import { usedSignatureRepository } from './used-signatures.ts';
import { userRepository } from './users.ts';
import { webSessionRepository } from './web-sessions.ts';

/**
 * All repositories on `db`; `inTransaction` says whether `db` is already a transaction, `queries` holds the
 * store's compiled hot-path queries (one cache per store, shared with its transactions), `onUnknownReason` hears
 * of stored reasons this version does not know, `direct` (SQLite, inside a batch) runs them on the held connection.
 */
export function createRepositories(
  db: Kysely<Database>,
  inTransaction: boolean,
  queries: QueryCache,
  onUnknownReason: UnknownReasonHandler,
  direct?: DirectExecutor,
): Repositories {
  const ctx = { db, inTransaction, queries, onUnknownReason, ...(direct && { direct }) };
  return {
    users: userRepository(ctx),
    applications: applicationRepository(ctx),
    groups: groupRepository(ctx),
    settings: settingsRepository(ctx),
    authenticators: authenticatorRepository(ctx),
    bypassCodes: bypassCodeRepository(ctx),
    smsPasscodes: smsPasscodeRepository(ctx),
    transactions: transactionRepository(ctx),
    audit: auditRepository(ctx),
    activations: activationRepository(ctx),
    webSessions: webSessionRepository(ctx),
    rememberedLogins: rememberedLoginRepository(ctx),
    oauthCodes: oauthCodeRepository(ctx),
    rateLimits: rateLimitRepository(ctx),
    alerts: alertRepository(ctx),
    usedSignatures: usedSignatureRepository(ctx),
    liveTickets: liveTicketRepository(ctx),
    telephony: telephonyRepository(ctx),
    oidcArtifacts: oidcArtifactRepository(ctx),
    oidcSigningKeys: oidcSigningKeyRepository(ctx),
    administrators: administratorRepository(ctx),
  };
}
