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
import type { RepositoryContext, UnknownReasonHandler } from './context.ts';
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

/** Each repository's constructor, by its name in Repositories. */
const REPOSITORIES: { [K in keyof Repositories]: (ctx: RepositoryContext) => Repositories[K] } = {
  users: userRepository,
  applications: applicationRepository,
  groups: groupRepository,
  settings: settingsRepository,
  authenticators: authenticatorRepository,
  bypassCodes: bypassCodeRepository,
  smsPasscodes: smsPasscodeRepository,
  transactions: transactionRepository,
  audit: auditRepository,
  activations: activationRepository,
  webSessions: webSessionRepository,
  rememberedLogins: rememberedLoginRepository,
  oauthCodes: oauthCodeRepository,
  rateLimits: rateLimitRepository,
  alerts: alertRepository,
  usedSignatures: usedSignatureRepository,
  liveTickets: liveTicketRepository,
  telephony: telephonyRepository,
  oidcArtifacts: oidcArtifactRepository,
  oidcSigningKeys: oidcSigningKeyRepository,
  administrators: administratorRepository,
};

/**
 * An object with `names` whose every property is built by `build` when first read, then kept. Repositories are
 * built for every SQLite batch and PostgreSQL transaction: a push answer uses three of the 21 (issue 14).
 */
export function lazyRecord<T extends object>(
  names: readonly (keyof T)[],
  build: (name: keyof T) => T[keyof T],
): T {
  const record = {} as T;
  for (const name of names) {
    Object.defineProperty(record, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build(name);
        Object.defineProperty(record, name, { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  return record;
}

/**
 * All repositories on `db`; `inTransaction` says whether `db` is already a transaction, `queries` holds the
 * store's compiled hot-path queries (one cache per store, shared with its transactions), `onUnknownReason` hears
 * of stored reasons this version does not know, `direct` (SQLite, inside a batch) runs them on the held connection.
 * Each is built when first used.
 */
export function createRepositories(
  db: Kysely<Database>,
  inTransaction: boolean,
  queries: QueryCache,
  onUnknownReason: UnknownReasonHandler,
  direct?: DirectExecutor,
): Repositories {
  const ctx: RepositoryContext = { db, inTransaction, queries, onUnknownReason, ...(direct && { direct }) };
  return lazyRecord(Object.keys(REPOSITORIES) as Array<keyof Repositories>, (name) =>
    REPOSITORIES[name](ctx),
  );
}
