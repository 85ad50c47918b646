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

const NAMES = Object.keys(REPOSITORIES) as Array<keyof Repositories>;

const BUILT = Symbol('built');
const BUILD = Symbol('build');

interface LazyState {
  [BUILT]: unknown[];
  [BUILD]: (name: keyof Repositories) => unknown;
}

/**
 * One getter per repository on a prototype shared by every lazy set: each instance keeps its two own properties,
 * so its shape never changes. (Redefining a property from getter to value on each object, in whatever order a
 * batch used them, grew V8's hidden classes: +300 MiB RSS after the push suite's round.)
 */
const LAZY = Object.create(null) as object;
for (const [index, name] of NAMES.entries()) {
  Object.defineProperty(LAZY, name, {
    enumerable: true,
    get(this: LazyState) {
      const built = this[BUILT];
      built[index] ??= this[BUILD](name);
      return built[index];
    },
  });
}

/**
 * Repositories each built by `build` when first read, then kept. Every SQLite batch and PostgreSQL transaction
 * gets a new set, and a push answer uses three of the 21 (issue 14). They are inherited, not own properties: such a
 * set is used, never spread or listed.
 */
export function lazyRepositories(
  build: (name: keyof Repositories) => Repositories[keyof Repositories],
): Repositories {
  const state = Object.create(LAZY) as LazyState;
  state[BUILT] = new Array(NAMES.length).fill(undefined);
  state[BUILD] = build;
  return state as unknown as Repositories;
}

/** A repository set as own properties, each read from `repos` now: a set that is spread (a store). */
export function allRepositories(repos: Repositories): Repositories {
  return Object.fromEntries(NAMES.map((name) => [name, repos[name]])) as unknown as Repositories;
}

/**
 * All repositories on `db`; `inTransaction` says whether `db` is already a transaction, `queries` holds the
 * store's compiled hot-path queries (one cache per store, shared with its transactions), `onUnknownReason` hears
 * of stored reasons this version does not know, `direct` (SQLite, inside a batch) runs them on the held connection.
 * Inside a transaction each is built when first used (lazyRepositories); outside, all at once, for good.
 */
export function createRepositories(
  db: Kysely<Database>,
  inTransaction: boolean,
  queries: QueryCache,
  onUnknownReason: UnknownReasonHandler,
  direct?: DirectExecutor,
): Repositories {
  const ctx: RepositoryContext = { db, inTransaction, queries, onUnknownReason, ...(direct && { direct }) };
  const lazy = lazyRepositories((name) => REPOSITORIES[name](ctx));
  return inTransaction ? lazy : allRepositories(lazy);
}
