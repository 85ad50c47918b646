// The domain's plain data: users, applications, authenticators, bypass codes, transactions, audit entries.
// The reasons table alone (plain data): the transaction module's index would pull the engine into web builds.
import type { Reason } from './transaction/reasons.ts';

export const USER_STATUSES = ['active', 'bypass', 'disabled', 'locked_out'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface User {
  id: string;
  username: string;
  aliases: string[];
  realName: string | null;
  email: string | null;
  phone: string | null;
  groups: string[];
  status: UserStatus;
  /** argon2id PHC string, or null when the user has no local password. */
  passwordHash: string | null;
  /** The directory the user came from (its password is checked there), or null for a local user. */
  directory: string | null;
  failedAttempts: number;
  lockedAt: number | null;
  createdAt: number;
  lastLoginAt: number | null;
  /** Free text an administrator keeps on the user (Duo's `notes`). */
  notes: string | null;
}

export const APPLICATION_TYPES = [
  'auth-api',
  'radius',
  'oidc',
  'saml',
  'universal',
  'portal',
  'admin-api',
] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** What an `admin-api` integration may do: Duo's Admin API grants, spelled as on the command line. */
export const ADMIN_PERMISSIONS = [
  'read-resource',
  'write-resource',
  'read-log',
  'read-info',
  'applications',
  'settings',
  'administrators',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

/** The grants of an `admin-api` integration created without a list. */
export const DEFAULT_ADMIN_PERMISSIONS: readonly AdminPermission[] = [
  'read-resource',
  'write-resource',
  'read-log',
];

/** What an administrator (a user with a role) may do in the console: owner > administrator > help desk, read-only. */
export const ADMIN_ROLES = ['owner', 'administrator', 'help-desk', 'read-only'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** A user who may sign in to the console, and the role that decides what it may do there. */
export interface Administrator {
  userId: string;
  role: AdminRole;
  createdAt: number;
}

export const METHOD_IDS = ['push', 'totp', 'hotp', 'webauthn', 'sms', 'phone', 'bypass'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

export const NEW_USER_POLICIES = ['require-enrollment', 'allow', 'deny'] as const;
export const AUTH_POLICIES = ['enforce', 'bypass', 'deny'] as const;

/** One policy layer: every field optional, so global → application → group layers override field by field. */
export interface PolicyLayer {
  newUserPolicy?: (typeof NEW_USER_POLICIES)[number];
  authPolicy?: (typeof AUTH_POLICIES)[number];
  allowedMethods?: MethodId[];
  rememberHours?: number;
  /** ISO date (YYYY-MM-DD); before it MFA is offered, not required. Null clears an inherited date. */
  enforcementDate?: string | null;
  lockoutThreshold?: number;
  /** Minutes after which a locked-out user is unlocked automatically; null = only an administrator unlocks. */
  autoUnlockMinutes?: number | null;
  /** How long a push waits for an answer (never over 10 minutes: 800-63B §5.1.3). */
  pushTimeoutSeconds?: number;
  /** Verified push: the user types the number shown on the login screen. */
  verifiedPush?: boolean;
  verifiedPushDigits?: 3 | 6;
  /** At most this many pushes since the last success, within `pushLimitWindowMinutes`. */
  pushLimit?: number;
  pushLimitWindowMinutes?: number;
  /** After the user denies a push, no automatic push for this long. */
  denialCooldownMinutes?: number;
  /** After "report fraud", no push at all for this long. */
  fraudPauseMinutes?: number;
  /** "Remember me": shared across applications (default), per application, or off. */
  rememberScope?: 'shared' | 'application' | 'off';
  /** WebAuthn user verification for security keys and passkeys. */
  userVerification?: 'required' | 'preferred' | 'discouraged';
}

export type Policy = Required<PolicyLayer>;

export interface Application {
  id: string;
  name: string;
  type: ApplicationType;
  /** Integration key: 20 characters starting `DI`. */
  ikey: string;
  /** The secret key, sealed with the key ring. */
  skeySealed: string;
  policy: PolicyLayer;
  createdAt: number;
  /**
   * Serves Duo's legacy REST v1 (`/rest/v1`, duo_unix 1.x) as well as the Auth API. Off unless an administrator
   * switches it on: a REST v1 signature has no date, so a captured request never expires.
   */
  legacyRestV1: boolean;
  /** Admin API grants; empty for every type but `admin-api`. */
  permissions: AdminPermission[];
  /** Free text administrators keep on the application (Duo's integration `notes`); absent reads as none. */
  notes?: string;
}

export interface Group {
  name: string;
  policy: PolicyLayer;
}

export const AUTHENTICATOR_KINDS = ['totp', 'hotp', 'push', 'webauthn', 'phone'] as const;
export type AuthenticatorKind = (typeof AUTHENTICATOR_KINDS)[number];
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** A device or credential bound to a user: an authenticator app, a hardware token, a security key, a phone. */
export interface Authenticator {
  id: string;
  /** Null for a hardware token imported but not yet assigned. */
  userId: string | null;
  kind: AuthenticatorKind;
  name: string;
  /** Hardware token serial number; null for software authenticators. */
  serial: string | null;
  /** OTP seed sealed with the key ring, or null. */
  secretSealed: string | null;
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP step in seconds (0 for HOTP). */
  period: number;
  /** HOTP: the next expected counter. */
  counter: number;
  /** TOTP: the last accepted time step, so a code is never accepted twice. */
  lastUsedStep: number | null;
  /** Method-specific public data (push public key, WebAuthn credential). Never a secret. */
  data: Record<string, unknown>;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Why a texted code was sent: to sign in, or to confirm a phone number being added or changed. */
export type SmsPasscodePurpose = 'login' | 'confirm';

/** One code of a texted batch, hashed at rest like bypass codes; a new batch of the same purpose voids the old. */
export interface SmsPasscode {
  id: string;
  userId: string;
  purpose: SmsPasscodePurpose;
  /** The number the batch went to (E.164). */
  phone: string;
  /** Which key-ring key peppered the hash. */
  keyId: string;
  salt: string;
  hash: string;
  expiresAt: number;
  createdAt: number;
}

export interface BypassCode {
  id: string;
  userId: string;
  /** Which key-ring key peppered the hash. */
  keyId: string;
  salt: string;
  hash: string;
  /** Remaining uses; null = unlimited until expiry. */
  remainingUses: number | null;
  expiresAt: number | null;
  createdAt: number;
  createdBy: string;
}

export const TRANSACTION_STATES = [
  'awaiting_factor',
  'pushed',
  'allow',
  'deny',
  'fraud',
  'timeout',
  'locked_out',
] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

export interface AuthTransaction {
  id: string;
  applicationId: string;
  userId: string;
  state: TransactionState;
  /** The factor in use (passcode, push, ...) or null before one is chosen. */
  factor: string | null;
  deviceId: string | null;
  /** Why the transaction is where it is (transaction/reasons.ts); null while it waits for a first factor. */
  reason: Reason | null;
  ip: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** Increments on every change: pollers wait for a version they have not seen. */
  version: number;
  data: Record<string, unknown>;
}

export interface AuditEntry {
  id?: number;
  at: number;
  /** `auth` for authentications, `admin` for administrative actions, `enrollment`, `fraud`. */
  kind: 'auth' | 'admin' | 'enrollment' | 'fraud';
  action: string;
  actor: string | null;
  userId: string | null;
  username: string | null;
  applicationId: string | null;
  factor: string | null;
  result: string | null;
  reason: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

/** A one-time code that binds a new (or replacement) Authenticator app to a user. */
export interface Activation {
  id: string;
  /** SHA-256 of the activation code: the code itself is only ever shown to the user. */
  codeHash: string;
  userId: string;
  /** Reactivation on a new phone: the device whose credentials this activation replaces. */
  replacesDeviceId: string | null;
  name: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  deviceId: string | null;
}

/**
 * A signed-in browser: the portal (after password and, once enrolled, a second factor), a prompt flow, or the
 * identity provider's single sign-on session (core/sso/sso-session.ts).
 */
export interface WebSession {
  /** SHA-256 of the cookie token; the token itself lives only in the browser. */
  id: string;
  userId: string;
  kind: 'portal' | 'prompt' | 'sso' | 'console';
  /** Anti-CSRF token the pages send back in a header. */
  csrf: string;
  createdAt: number;
  expiresAt: number;
  /** When the user last completed a second factor in this session (step-up), or null. */
  mfaAt: number | null;
  revokedAt: number | null;
  data: Record<string, unknown>;
}

/** "Remember me": a browser that completed MFA and may skip it until `expiresAt`. */
export interface RememberedLogin {
  id: string;
  userId: string;
  /** Null when shared across applications (the default), else the one application it covers. */
  applicationId: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A Universal Prompt authorization code (stored hashed), single use. */
export interface OAuthCode {
  id: string;
  clientId: string;
  redirectUri: string;
  username: string;
  nonce: string | null;
  txid: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** An alert for the administrators' console (today: a user reported a push as fraud). */
export interface Alert {
  at: number;
  kind: 'fraud';
  userId: string;
  username: string;
  /** The application's name, or null when it is unknown. */
  application: string | null;
  txid: string;
  ip: string | null;
}

/** Where a fraud report stands: open until an administrator reviews or dismisses it. */
export const FRAUD_REPORT_STATUSES = ['open', 'reviewed', 'dismissed'] as const;
export type FraudReportStatus = (typeof FRAUD_REPORT_STATUSES)[number];

/** A stored fraud alert with its id (insertion order) and review status. */
export interface FraudReport extends Alert {
  id: string;
  status: FraudReportStatus;
}

/** Why a text message or call was sent (Duo's telephony log `context`). */
export type TelephonyContext = 'authentication' | 'enrollment' | 'verification' | 'administrator';

/** One text message or call, shaped like an item of Duo's `/admin/v1/logs/telephony`, plus what it went through. */
export interface TelephonyLogEntry {
  id: string;
  /** When it was handed to the provider (epoch ms). */
  at: number;
  context: TelephonyContext;
  type: 'sms' | 'phone';
  /** E.164. */
  phone: string;
  /** What it was charged against the daily budget (0 when the provider refused it). */
  credits: number;
  userId: string | null;
  /** The provider's configuration name (`twilio`, `kannel`, `webhook`, `outbox`). */
  provider: string;
  /** The provider's own id for it (Twilio's SID), when it gives one. */
  providerRef: string | null;
  /** `sent`: the provider accepted it; `failed`: it refused or could not be reached. */
  status: 'sent' | 'failed';
}

/** A single-use ticket that opens a device's live channel (stored hashed, short-lived). */
export interface LiveTicket {
  /** SHA-256 of the ticket; the ticket itself is only ever in the device's hands. */
  id: string;
  deviceId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/**
 * One artifact of the OpenID Connect provider (a session, grant, interaction, code or token), as its storage
 * adapter keeps it: the id hashed (an opaque token's id is the token), the payload sealed with the key ring.
 */
export interface OidcArtifact {
  /** The oidc-provider model: `Session`, `Grant`, `AuthorizationCode`, `RefreshToken`, … */
  model: string;
  /** SHA-256 of the provider's id. */
  id: string;
  payloadSealed: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  /** The user the artifact belongs to (the provider's accountId), so signing a user out can end them all. */
  accountId: string | null;
  /** Null when it never expires. */
  expiresAt: number | null;
  consumedAt: number | null;
}

export const OIDC_KEY_STATES = ['next', 'current', 'retired'] as const;

/**
 * A signing key of the OpenID Connect provider: `next` is published but does not sign yet, `current` signs,
 * `retired` is still published so tokens it signed verify until they expire.
 */
export interface OidcSigningKey {
  kid: string;
  state: (typeof OIDC_KEY_STATES)[number];
  /** The private key as a JWK, sealed with the key ring. */
  privateKeySealed: string;
  createdAt: number;
  promotedAt: number | null;
  retiredAt: number | null;
}
