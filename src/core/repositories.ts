// Storage interfaces owned by the core; the store implements them for SQLite and PostgreSQL alike.
import type {
  Activation,
  Administrator,
  AdminRole,
  Alert,
  Application,
  AuditEntry,
  Authenticator,
  AuthenticatorKind,
  AuthTransaction,
  BypassCode,
  FraudReport,
  FraudReportStatus,
  Group,
  LiveTicket,
  OAuthCode,
  OidcArtifact,
  OidcSigningKey,
  PolicyLayer,
  RememberedLogin,
  SmsPasscode,
  SmsPasscodePurpose,
  TelephonyLogEntry,
  User,
  UserStatus,
  WebSession,
} from './model.ts';

export interface Page {
  limit: number;
  offset: number;
}

/** Which users a list or count covers; every field narrows it. */
export interface UserFilter {
  status?: UserStatus;
  /** A directory's name, or null for local users only. */
  directory?: string | null;
  /** Members of this group. */
  group?: string;
  /** Users with any of these statuses. */
  statuses?: readonly UserStatus[];
  /** True: users with at least one authenticator; false: users with none. */
  enrolled?: boolean;
  /** Users whose username's canonical key starts with this (already folded: usernames.ts `foldForm`). */
  keyPrefix?: string;
}

export interface UserRepository {
  /**
   * Inserts a user with its username and aliases in canonical form (src/core/usernames.ts); fails with
   * USER_EXISTS when a name's key is taken, INVALID_USERNAME when a name is refused.
   */
  create(user: User): Promise<void>;
  get(id: string): Promise<User | null>;
  /** The users with these ids that exist (one query for a page of owners), in no particular order. */
  getMany(ids: readonly string[]): Promise<User[]>;
  /** Finds a user by the canonical key of a username or alias; a refused name is INVALID_USERNAME, not null. */
  findByName(name: string): Promise<User | null>;
  /** A page of users in order of their username's canonical key (unique, so pages never overlap). */
  list(page: Page, filter?: UserFilter): Promise<User[]>;
  count(filter?: UserFilter): Promise<number>;
  /**
   * Changes fields; a new username and the aliases are stored in canonical form, as in create (USER_EXISTS when
   * a name's key is taken by another user).
   */
  update(
    id: string,
    patch: Partial<
      Pick<
        User,
        | 'username'
        | 'realName'
        | 'email'
        | 'phone'
        | 'groups'
        | 'aliases'
        | 'directory'
        | 'passwordHash'
        | 'notes'
      >
    >,
  ): Promise<void>;
  /** Deletes a user with everything that is theirs (devices, codes, sessions); false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Sets the status; leaving `locked_out` also clears the failure count. */
  setStatus(id: string, status: UserStatus): Promise<void>;
  /** Atomically counts one failure; at `threshold` an active user becomes locked_out. Returns the new count. */
  recordFailure(
    id: string,
    now: number,
    threshold: number,
  ): Promise<{ failedAttempts: number; lockedOut: boolean }>;
  /** Atomically resets the failure count and stamps the last login. */
  recordSuccess(id: string, now: number): Promise<void>;
  /**
   * Holds the user's row until the surrounding database transaction ends, so checks that read several rows and
   * then write (push limits) run one at a time per user on every node; returns the row as it is now.
   */
  lock(id: string): Promise<User | null>;
}

export interface ApplicationRepository {
  create(app: Application): Promise<void>;
  get(id: string): Promise<Application | null>;
  findByIkey(ikey: string): Promise<Application | null>;
  findByName(name: string): Promise<Application | null>;
  list(): Promise<Application[]>;
  updatePolicy(id: string, policy: PolicyLayer): Promise<void>;
  updateSealedSecret(id: string, skeySealed: string): Promise<void>;
  /** Switches REST v1 on or off; APPLICATION_NOT_FOUND for an unknown id. */
  setLegacyRestV1(id: string, on: boolean): Promise<void>;
  /** Renames or re-notes an application; INVALID_INPUT when the name is taken, APPLICATION_NOT_FOUND when gone. */
  update(id: string, patch: { name?: string; notes?: string }): Promise<void>;
  /** Deletes an application's row; false when there was none. */
  remove(id: string): Promise<boolean>;
}

export interface GroupRepository {
  upsert(group: Group): Promise<void>;
  get(name: string): Promise<Group | null>;
  /** Groups in name order: all of them, or one page. */
  list(page?: Page): Promise<Group[]>;
  count(): Promise<number>;
  /** Deletes the group's row (its policy); members keep the name until they are updated. False when none. */
  remove(name: string): Promise<boolean>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | null>;
  /**
   * `get`, holding the key until the surrounding `atomically` ends: a read-modify-write of one key then waits
   * for a concurrent one instead of overwriting it. Only inside `atomically`.
   */
  getForUpdate<T>(key: string): Promise<T | null>;
  set(key: string, value: unknown): Promise<void>;
}

export interface AuthenticatorRepository {
  /** Inserts an authenticator; a duplicate hardware serial fails with TOKEN_EXISTS. */
  create(authenticator: Authenticator): Promise<void>;
  get(id: string): Promise<Authenticator | null>;
  findBySerial(serial: string): Promise<Authenticator | null>;
  listForUser(userId: string): Promise<Authenticator[]>;
  /** Every authenticator of these users (one query for a page of users), in the order listForUser gives. */
  listForUsers(userIds: readonly string[]): Promise<Authenticator[]>;
  /** Unassigned hardware tokens and all others, for administration and key rotation. */
  listAll(page: Page): Promise<Authenticator[]>;
  /** A page of the authenticators `filter` selects, in id order. */
  list(filter: AuthenticatorFilter, page: Page): Promise<Authenticator[]>;
  count(filter: AuthenticatorFilter): Promise<number>;
  /** Binds an unassigned hardware token to a user; false when it is already assigned. */
  assign(id: string, userId: string): Promise<boolean>;
  /** Takes a hardware token back from `userId` (compare-and-set): false when it is not that user's token. */
  unassign(id: string, userId: string): Promise<boolean>;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
  updateData(id: string, data: Record<string, unknown>): Promise<void>;
  updateSealedSecret(id: string, secretSealed: string): Promise<void>;
  /** Accepts TOTP step `step` once: true only if it is later than the last accepted step (compare-and-set). */
  claimTotpStep(id: string, step: number, now: number): Promise<boolean>;
  /** Moves an HOTP counter from `expected` to `next` (compare-and-set): false if another request moved it first. */
  advanceHotpCounter(id: string, expected: number, next: number, now: number): Promise<boolean>;
}

/** Which authenticators a list covers. */
export interface AuthenticatorFilter {
  kinds?: readonly AuthenticatorKind[];
  /** True: hardware tokens only (a serial); false: software authenticators only. */
  hardware?: boolean;
  serial?: string;
}

export interface BypassCodeRepository {
  create(code: BypassCode): Promise<void>;
  /** Codes that still have uses left and have not expired at `now`. */
  listActive(userId: string, now: number): Promise<BypassCode[]>;
  /** Spends one use of a code (compare-and-set): false if it was used up or expired meanwhile. */
  consume(id: string, now: number): Promise<boolean>;
  revokeAll(userId: string): Promise<number>;
  listAll(): Promise<BypassCode[]>;
}

export interface SmsPasscodeRepository {
  /** Replaces the user's codes of `purpose` with `codes` in one step: the new batch voids the old one. */
  replaceBatch(userId: string, purpose: SmsPasscodePurpose, codes: SmsPasscode[]): Promise<void>;
  /** The user's unexpired codes of `purpose`. */
  listActive(userId: string, purpose: SmsPasscodePurpose, now: number): Promise<SmsPasscode[]>;
  /** Spends a code (compare-and-set): false when it was used, voided or expired meanwhile. */
  consume(id: string, now: number): Promise<boolean>;
  /** Deletes codes that expired before `before`; returns how many. */
  purge(before: number): Promise<number>;
}

export interface TransactionRepository {
  create(tx: AuthTransaction): Promise<void>;
  get(id: string): Promise<AuthTransaction | null>;
  /** The current version of each of `ids` that exists (long polls check theirs together, watch-sweep.ts). */
  versions(ids: readonly string[]): Promise<Map<string, number>>;
  /** Applies `patch` only if the stored version is still `expectedVersion`; returns the new row or null. */
  update(
    id: string,
    expectedVersion: number,
    patch: Partial<Pick<AuthTransaction, 'state' | 'factor' | 'deviceId' | 'reason' | 'expiresAt' | 'data'>>,
    now: number,
  ): Promise<AuthTransaction | null>;
  /** The user's transactions created at or after `since`, newest first. */
  listRecentForUser(userId: string, since: number, limit: number): Promise<AuthTransaction[]>;
  /**
   * What push limits decide on, aggregated over every transaction of the user (however many there are):
   * pushes outstanding at `now` (other than `excludeTxid`), and the latest fraud report, push denial and
   * success since `since`.
   */
  pushActivity(userId: string, since: number, now: number, excludeTxid: string): Promise<PushActivity>;
  /** How many pushes actually went to a device of the user since `since`. */
  countPushesSince(userId: string, since: number): Promise<number>;
  /** Open (not final) transactions waiting on one device, newest first. */
  listOpenForDevice(deviceId: string, now: number): Promise<AuthTransaction[]>;
  /** Deletes finished transactions last changed before `before`; returns how many. */
  purge(before: number): Promise<number>;
}

/** Aggregates over a user's transactions, for push limits. Times are epoch ms, null when there was none. */
export interface PushActivity {
  outstanding: number;
  lastFraudAt: number | null;
  lastDenialAt: number | null;
  lastSuccessAt: number | null;
}

/** GCRA: one attempt per `intervalMs` on average, up to `burst` at once. */
export interface RateRule {
  intervalMs: number;
  burst: number;
}

/** One attempt counted against a rate limit. */
export interface RateDecision {
  allowed: boolean;
  /** When refused, how long until an attempt would pass. */
  retryAfterMs: number;
}

/** Refusals of one key not yet summarised in the audit log. */
export interface PendingRefusals {
  key: string;
  refused: number;
  refusedSince: number;
}

export interface RateLimitRepository {
  /** Counts one attempt against `key` atomically; a refusal is kept for the audit summary. */
  take(key: string, now: number, rule: RateRule): Promise<RateDecision>;
  /**
   * Undoes one attempt that `take` let through, in the same database transaction (its row is still locked):
   * for an attempt another limit refused, which therefore started nothing.
   */
  giveBack(key: string, rule: RateRule): Promise<void>;
  /** Keys whose oldest unsummarised refusal is older than `before` (at most `limit`). */
  listPendingRefusals(before: number, limit: number): Promise<PendingRefusals[]>;
  /** The unsummarised refusals of one key, or null when there are none. */
  pendingRefusals(key: string): Promise<PendingRefusals | null>;
  /**
   * Marks the `pending` refusals summarised at `now` (compare-and-set on their count's start: false when another
   * node summarised them first); refusals counted meanwhile stay pending.
   */
  markSummarised(pending: PendingRefusals, now: number): Promise<boolean>;
  /** Forgets keys with nothing pending whose limit has fully recovered by `now`; returns how many. */
  purge(now: number): Promise<number>;
}

/** The entries of one kind in a time window (epoch ms, both ends included); every other field narrows it. */
export interface AuditQuery {
  kind: AuditEntry['kind'];
  from: number;
  to: number;
  actions?: readonly string[];
  userIds?: readonly string[];
  applicationIds?: readonly string[];
  results?: readonly string[];
  factors?: readonly string[];
  reasons?: readonly string[];
  /** Entries of users who are members of one of these groups now. */
  groups?: readonly string[];
}

/** Where an entry sits in the log's order: its time, then its id. */
export interface AuditPosition {
  at: number;
  id: number;
}

export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries (optionally only after id `afterId`), oldest first. */
  tail(options: { limit: number; afterId?: number; kind?: AuditEntry['kind'] }): Promise<AuditEntry[]>;
  /**
   * One page of `query` in (at, id) order, ascending or descending, starting strictly after `after` (a keyset:
   * entries appended meanwhile never shift a page).
   */
  list(
    query: AuditQuery,
    page: { limit: number; order: 'asc' | 'desc'; after?: AuditPosition },
  ): Promise<AuditEntry[]>;
  /** How many entries `query` selects, counting no further than `atMost` (the cost of a count grows with it). */
  count(query: AuditQuery, atMost?: number): Promise<number>;
  /** How many entries `query` selects per UTC day and result; `day` is the day's first millisecond. */
  countByDay(query: AuditQuery): Promise<Array<{ day: number; result: string | null; count: number }>>;
}

export interface ActivationRepository {
  create(activation: Activation): Promise<void>;
  findByCodeHash(codeHash: string): Promise<Activation | null>;
  /** Marks an activation used by `deviceId` (compare-and-set): false if it was used already or has expired. */
  markUsed(id: string, deviceId: string, now: number): Promise<boolean>;
  /** Expires the user's other unused activations (a new one replaces them). */
  revokeForUser(userId: string, now: number): Promise<void>;
}

export interface WebSessionRepository {
  create(session: WebSession): Promise<void>;
  /** The session if it exists, is not revoked and has not expired at `now`. */
  getActive(id: string, now: number): Promise<WebSession | null>;
  update(id: string, patch: Partial<Pick<WebSession, 'mfaAt' | 'expiresAt' | 'data'>>): Promise<void>;
  revoke(id: string, now: number): Promise<void>;
  /** Signs a user out everywhere; returns how many sessions ended. */
  revokeAllForUser(userId: string, now: number): Promise<number>;
}

export interface RememberedLoginRepository {
  create(login: RememberedLogin): Promise<void>;
  /** The remembered login if it exists, is not revoked and has not expired at `now`. */
  getActive(id: string, now: number): Promise<RememberedLogin | null>;
  revokeAllForUser(userId: string, now: number): Promise<number>;
}

export interface OAuthCodeRepository {
  create(code: OAuthCode): Promise<void>;
  /** Spends a code once (compare-and-set): the code's row, or null if unknown, used or expired. */
  consume(id: string, now: number): Promise<OAuthCode | null>;
}

export interface AlertRepository {
  /**
   * Inserts `alert`, then deletes all but the newest `keep` (by insertion order). Both steps are single statements:
   * writers on other nodes lose nothing, and a prune racing another insert keeps more rows, never fewer.
   */
  append(alert: Alert, keep: number): Promise<void>;
  /** The newest `limit` alerts, oldest first. */
  list(limit: number): Promise<Alert[]>;
  /** The newest `limit` fraud alerts with their ids and statuses, oldest first. */
  listReports(limit: number): Promise<FraudReport[]>;
  /** Sets a report's status; false when there is no such report (pruned or never stored). */
  setStatus(id: string, status: FraudReportStatus): Promise<boolean>;
  /** How many fraud reports have this status. */
  countByStatus(status: FraudReportStatus): Promise<number>;
}

export interface UsedSignatureRepository {
  /** Records `key` until `expiresAt` in one atomic insert: false when it is recorded already (compare-and-set). */
  claim(key: string, expiresAt: number): Promise<boolean>;
  /** Forgets `key`, so the same request may be sent again (it was refused before doing anything). */
  release(key: string): Promise<void>;
  /** Deletes keys that expired before `before`; returns how many. */
  purge(before: number): Promise<number>;
}

export interface LiveTicketRepository {
  create(ticket: LiveTicket): Promise<void>;
  /** Spends a ticket once (compare-and-set): its row, or null if unknown, used or expired. */
  consume(id: string, now: number): Promise<LiveTicket | null>;
  /** Deletes tickets that expired before `before` (used or not); returns how many. */
  purge(before: number): Promise<number>;
}

export interface TelephonyRepository {
  /** Records one message or call. */
  append(entry: TelephonyLogEntry): Promise<void>;
  /** Entries with `mintime <= at <= maxtime` (each optional), oldest first, at most `limit`. */
  list(options: { mintime?: number; maxtime?: number; limit: number }): Promise<TelephonyLogEntry[]>;
  /**
   * Adds `credits` to what `day` (YYYY-MM-DD, UTC) has spent if the total stays within `budget` (null: no budget),
   * in one compare-and-set: false, and nothing added, when it would not. Parallel sends on any node never overspend.
   */
  spendCredits(day: string, credits: number, budget: number | null): Promise<boolean>;
  /** Gives back credits spent on a send the provider then refused (never below zero). */
  refundCredits(day: string, credits: number): Promise<void>;
  /** What `day` has spent so far. */
  creditsSpent(day: string): Promise<number>;
}

/** Where the OpenID Connect provider's adapter keeps its artifacts; lookups skip what expired at `now`. */
export interface OidcArtifactRepository {
  /** Inserts or replaces one artifact (a replaced one keeps its consumed mark). */
  upsert(artifact: OidcArtifact): Promise<void>;
  find(model: string, id: string, now: number): Promise<OidcArtifact | null>;
  findByUid(model: string, uid: string, now: number): Promise<OidcArtifact | null>;
  findByUserCode(model: string, userCode: string, now: number): Promise<OidcArtifact | null>;
  /** Marks an artifact consumed (compare-and-set): false when it was consumed already, expired or is unknown. */
  consume(model: string, id: string, now: number): Promise<boolean>;
  destroy(model: string, id: string): Promise<void>;
  /** Deletes every artifact of one grant, of every model; returns how many. */
  revokeByGrantId(grantId: string): Promise<number>;
  /** The live artifacts of `model` that belong to one account. */
  listForAccount(model: string, accountId: string, now: number): Promise<OidcArtifact[]>;
  /** Deletes every artifact of one account, of every model; returns how many. */
  revokeByAccount(accountId: string): Promise<number>;
  /** Deletes artifacts that expired at or before `now`; returns how many. */
  purge(now: number): Promise<number>;
}

export interface OidcSigningKeyRepository {
  create(key: OidcSigningKey): Promise<void>;
  /** Every stored key, oldest first. */
  list(): Promise<OidcSigningKey[]>;
  /**
   * Makes the `next` key `kid` the signing key and retires the current one at `now`, in one database transaction;
   * false (nothing changed) when `kid` is not a `next` key any more.
   */
  promote(kid: string, now: number): Promise<boolean>;
  remove(kid: string): Promise<void>;
  updateSealedKey(kid: string, privateKeySealed: string): Promise<void>;
}

/** Every repository, bound to one connection or one database transaction. */
/** Administrators: few (tens), so lists are whole. */
export interface AdministratorRepository {
  get(userId: string): Promise<Administrator | null>;
  /** Every administrator, oldest first. */
  list(): Promise<Administrator[]>;
  /** How many administrators there are (of `role` when given). */
  count(role?: AdminRole): Promise<number>;
  /** Adds one; false (nothing changed) when the user is already an administrator. */
  add(admin: Administrator): Promise<boolean>;
  /** Changes a role; false when the user is not an administrator. */
  setRole(userId: string, role: AdminRole): Promise<boolean>;
  /** Removes one; false when the user was not an administrator. */
  remove(userId: string): Promise<boolean>;
  /**
   * Inside store.atomically: holds every administrator row until the transaction ends, so two changes that
   * each leave one owner cannot both pass the "an owner remains" check.
   */
  lockAll(): Promise<void>;
}

export interface Repositories {
  users: UserRepository;
  applications: ApplicationRepository;
  groups: GroupRepository;
  settings: SettingsRepository;
  authenticators: AuthenticatorRepository;
  bypassCodes: BypassCodeRepository;
  smsPasscodes: SmsPasscodeRepository;
  transactions: TransactionRepository;
  audit: AuditRepository;
  activations: ActivationRepository;
  webSessions: WebSessionRepository;
  rememberedLogins: RememberedLoginRepository;
  oauthCodes: OAuthCodeRepository;
  rateLimits: RateLimitRepository;
  alerts: AlertRepository;
  usedSignatures: UsedSignatureRepository;
  liveTickets: LiveTicketRepository;
  telephony: TelephonyRepository;
  oidcArtifacts: OidcArtifactRepository;
  oidcSigningKeys: OidcSigningKeyRepository;
  administrators: AdministratorRepository;
}

/** The store: repositories plus atomic multi-step writes. */
export interface Store extends Repositories {
  /** Runs `work` in one database transaction: all of its writes commit together or none do. */
  atomically<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
