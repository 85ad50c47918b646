// The id_token's auth_result and auth_context (Duo's authlog v2 shape), from the transaction and its records.
import type { Application, Authenticator, AuthTransaction, User } from '../../core/model.ts';

const EMPTY_LOCATION = { city: '', state: '', country: '' };

/** Duo's factor names for how the transaction was decided. */
function factorName(tx: AuthTransaction | null, device: Authenticator | null): string {
  if (!tx) return 'not_available';
  const method = tx.data.method;
  switch (tx.factor) {
    case 'push':
      return 'duo_push';
    case 'remembered':
      return 'remembered_device';
    case 'webauthn':
      return 'webauthn_security_key';
    case 'passcode':
      if (method === 'bypass') return 'bypass_code';
      if (device?.serial) return 'hardware_token';
      return 'passcode';
    default:
      return 'not_available';
  }
}

/** Duo's reason names for our transaction reasons. */
const REASONS: Record<string, string> = {
  user_approved: 'user_approved',
  valid_passcode: 'valid_passcode',
  valid_webauthn: 'valid_webauthn_credential',
  remembered: 'remembered_device',
  user_bypass: 'bypass_user',
  policy_bypass: 'allowed_by_policy',
  not_enrolled_allowed: 'allow_unenrolled_user',
  before_enforcement: 'allow_unenrolled_user',
  denied: 'user_cancelled',
  wrong_code: 'user_mistake',
  invalid_passcode: 'invalid_passcode',
  invalid_webauthn: 'invalid_webauthn_credential',
  locked_out: 'locked_out',
  user_disabled: 'user_disabled',
  policy_deny: 'deny_by_policy',
  new_user_denied: 'deny_unenrolled_user',
  not_enrolled: 'deny_unenrolled_user',
  fraud_reported: 'user_marked_fraud',
  timeout: 'no_response',
};

export interface AuthResult {
  result: 'allow' | 'deny';
  status: string;
  status_msg: string;
}

/** `auth_result`: allow only for a transaction that ended in `allow`; anything else (or none) is a denial. */
export function authResult(tx: AuthTransaction | null): AuthResult {
  if (tx?.state === 'allow') return { result: 'allow', status: 'allow', status_msg: 'Login Successful' };
  const status = tx?.state === 'fraud' ? 'fraud' : tx?.state === 'locked_out' ? 'locked_out' : 'deny';
  return { result: 'deny', status, status_msg: 'Login Denied' };
}

/** Unix seconds with microseconds, the way Duo writes `isotimestamp`: `2026-11-28T00:29:15.000000+00:00`. */
function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

export interface ContextInput {
  txid: string;
  tx: AuthTransaction | null;
  user: User | null;
  app: Application;
  username: string;
  device: Authenticator | null;
}

/** The authentication-log record carried in `auth_context`. */
export function authContext(input: ContextInput): Record<string, unknown> {
  const { tx, user, app, device } = input;
  const at = tx?.updatedAt ?? 0;
  const result = tx?.state === 'allow' ? 'success' : tx?.state === 'fraud' ? 'fraud' : 'denied';
  return {
    txid: input.txid,
    timestamp: Math.floor(at / 1000),
    isotimestamp: isoTimestamp(at),
    event_type: 'authentication',
    result,
    reason: REASONS[tx?.reason ?? ''] ?? tx?.reason ?? 'user_not_in_permitted_group',
    factor: factorName(tx, device),
    alias: user && input.username !== user.username ? input.username : '',
    email: user?.email ?? null,
    ood_software: null,
    user: { name: user?.username ?? input.username, key: user?.id ?? null, groups: user?.groups ?? [] },
    application: { name: app.name, key: app.ikey },
    auth_device: { ip: null, location: EMPTY_LOCATION, name: device?.name ?? null },
    access_device: { ip: tx?.ip ?? null, location: EMPTY_LOCATION, hostname: null, epkey: null },
  };
}
