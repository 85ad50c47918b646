// The database's tables as Kysely sees them: snake_case columns, JSON kept as text, times as bigint milliseconds.
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  /** The canonical stored form (src/core/usernames.ts): trimmed, NFKC, case kept. */
  username: string;
  /** The canonical key, computed in JS so SQLite and PostgreSQL match names identically; unique. */
  username_key: string;
  /** JSON array of strings. */
  aliases: string;
  real_name: string | null;
  email: string | null;
  phone: string | null;
  /** JSON array of group names. */
  groups: string;
  status: string;
  password_hash: string | null;
  directory: string | null;
  failed_attempts: number;
  locked_at: number | null;
  created_at: number;
  last_login_at: number | null;
  /** Free text an administrator keeps on the user (migration 0012). */
  notes: string | null;
}

/** A user's console role (migration 0013): one row per administrator. */
export interface AdministratorsTable {
  user_id: string;
  role: string;
  created_at: number;
}

/** One row per group a user belongs to, in step with `users.groups` (migration 0012). */
export interface UserGroupsTable {
  group_name: string;
  user_id: string;
}

/** The canonical key of every name a user answers to (username and aliases): its primary key makes names unique. */
export interface UserAliasesTable {
  name_key: string;
  user_id: string;
}

export interface ApplicationsTable {
  id: string;
  name: string;
  type: string;
  ikey: string;
  skey_sealed: string;
  policy: string;
  created_at: number;
  /** 1 when the application serves Duo's legacy REST v1 (migration 0010), else 0. */
  legacy_rest_v1: number;
  /** JSON array of Admin API grants (migration 0012); empty for every type but `admin-api`. */
  permissions: Generated<string>;
  /** Duo's integration notes (migration 0014). */
  notes: Generated<string>;
}

export interface GroupsTable {
  name: string;
  policy: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuthenticatorsTable {
  id: string;
  user_id: string | null;
  kind: string;
  name: string;
  serial: string | null;
  secret_sealed: string | null;
  algorithm: string;
  digits: number;
  period: number;
  counter: number;
  last_used_step: number | null;
  data: string;
  created_at: number;
  last_used_at: number | null;
}

export interface BypassCodesTable {
  id: string;
  user_id: string;
  key_id: string;
  salt: string;
  hash: string;
  remaining_uses: number | null;
  expires_at: number | null;
  created_at: number;
  created_by: string;
}

/** One texted code, hashed (migration 0015). */
export interface SmsPasscodesTable {
  id: string;
  user_id: string;
  purpose: string;
  phone: string;
  key_id: string;
  salt: string;
  hash: string;
  expires_at: number;
  created_at: number;
}

export interface AuthTransactionsTable {
  id: string;
  application_id: string;
  user_id: string;
  state: string;
  factor: string | null;
  device_id: string | null;
  reason: string | null;
  ip: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  version: number;
  data: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  kind: string;
  action: string;
  actor: string | null;
  user_id: string | null;
  username: string | null;
  application_id: string | null;
  factor: string | null;
  result: string | null;
  reason: string | null;
  ip: string | null;
  detail: string;
}

export interface ActivationsTable {
  id: string;
  code_hash: string;
  user_id: string;
  replaces_device_id: string | null;
  name: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  device_id: string | null;
}

export interface WebSessionsTable {
  id: string;
  user_id: string;
  kind: string;
  csrf: string;
  created_at: number;
  expires_at: number;
  mfa_at: number | null;
  revoked_at: number | null;
  data: string;
}

export interface RememberedLoginsTable {
  id: string;
  user_id: string;
  application_id: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface OAuthCodesTable {
  id: string;
  client_id: string;
  redirect_uri: string;
  username: string;
  nonce: string | null;
  txid: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AlertsTable {
  id: Generated<number>;
  at: number;
  kind: string;
  user_id: string;
  username: string;
  application: string | null;
  txid: string;
  ip: string | null;
  /** `open`, `reviewed` or `dismissed` (migration 0014). */
  status: Generated<string>;
}

/** GCRA state per limited key, with refusals not yet summarised in the audit log (migration 0004). */
export interface RateLimitsTable {
  key: string;
  tat: number;
  last_allowed: number;
  refused: number;
  refused_since: number | null;
}

export interface UsedSignaturesTable {
  /** SHA-256 of what identifies one signed request (never the signature itself). */
  key: string;
  expires_at: number;
}

export interface LiveTicketsTable {
  id: string;
  device_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** One text message or call (migration 0008). */
export interface TelephonyLogTable {
  id: string;
  at: number;
  context: string;
  type: string;
  phone: string;
  credits: number;
  user_id: string | null;
  provider: string;
  provider_ref: string | null;
  status: string;
}

/** Credits spent per UTC day, against the daily budget (migration 0008). */
export interface TelephonyCreditsTable {
  day: string;
  spent: number;
}

/** One oidc-provider artifact (migration 0011): keyed by model and the SHA-256 of its id, its payload sealed. */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload_sealed: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

/** The OpenID provider's signing keys (migration 0011): the private JWK sealed with the key ring. */
export interface OidcSigningKeysTable {
  kid: string;
  state: string;
  private_key_sealed: string;
  created_at: number;
  promoted_at: number | null;
  retired_at: number | null;
}

/** The whole schema, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable;
  user_aliases: UserAliasesTable;
  user_groups: UserGroupsTable;
  administrators: AdministratorsTable;
  applications: ApplicationsTable;
  groups: GroupsTable;
  settings: SettingsTable;
  authenticators: AuthenticatorsTable;
  bypass_codes: BypassCodesTable;
  sms_passcodes: SmsPasscodesTable;
  auth_transactions: AuthTransactionsTable;
  audit_log: AuditLogTable;
  activations: ActivationsTable;
  web_sessions: WebSessionsTable;
  remembered_logins: RememberedLoginsTable;
  oauth_codes: OAuthCodesTable;
  rate_limits: RateLimitsTable;
  alerts: AlertsTable;
  used_signatures: UsedSignaturesTable;
  live_tickets: LiveTicketsTable;
  telephony_log: TelephonyLogTable;
  telephony_credits: TelephonyCreditsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_signing_keys: OidcSigningKeysTable;
}
