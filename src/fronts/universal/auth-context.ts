// The id_token's auth_result and auth_context (Duo's authlog v2 shape), from an allowed transaction and its records.
// Only a login that succeeded is ever exchanged for a token (issue 9.6), so both always describe a success.
import type { Application, Authenticator, AuthTransaction, User } from '../../core/model.ts';
import { REASONS } from '../../core/transaction/index.ts';

const EMPTY_LOCATION = { city: '', state: '', country: '' };

/** Duo's factor names for how the transaction was decided. */
function factorName(tx: AuthTransaction, device: Authenticator | null): string {
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

export interface AuthResult {
  result: 'allow';
  status: 'allow';
  status_msg: string;
}

/** `auth_result` of every token: a token is only ever issued for a login that succeeded. */
export const ALLOWED: AuthResult = { result: 'allow', status: 'allow', status_msg: 'Login Successful' };

/** Unix seconds with microseconds, the way Duo writes `isotimestamp`: `2026-11-28T00:29:15.000000+00:00`. */
function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

export interface ContextInput {
  tx: AuthTransaction;
  user: User | null;
  app: Application;
  username: string;
  device: Authenticator | null;
}

/** The authentication-log record carried in `auth_context`. */
export function authContext(input: ContextInput): Record<string, unknown> {
  const { tx, user, app, device } = input;
  return {
    txid: tx.id,
    timestamp: Math.floor(tx.updatedAt / 1000),
    isotimestamp: isoTimestamp(tx.updatedAt),
    event_type: 'authentication',
    result: 'success',
    // Duo's authentication-log name for why it was allowed (reasons.ts); every allow reason has one.
    reason: (tx.reason && REASONS[tx.reason].duo.logReason) ?? 'user_approved',
    factor: factorName(tx, device),
    alias: user && input.username !== user.username ? input.username : '',
    email: user?.email ?? null,
    ood_software: null,
    user: { name: user?.username ?? input.username, key: user?.id ?? null, groups: user?.groups ?? [] },
    application: { name: app.name, key: app.ikey },
    auth_device: { ip: null, location: EMPTY_LOCATION, name: device?.name ?? null },
    access_device: { ip: tx.ip ?? null, location: EMPTY_LOCATION, hostname: null, epkey: null },
  };
}
