// The id_token's auth_result and auth_context (Duo's authlog v2 shape), from an allowed transaction and its records.
// Only a login that succeeded is ever exchanged for a token (issue 9.6), so both always describe a success.
import type { Location } from '../../core/locate.ts';
import type { Application, Authenticator, AuthTransaction, User } from '../../core/model.ts';
import { authLogRecord, duoFactor, duoLogReason } from '../duo-api/authlog-record.ts';

export interface AuthResult {
  result: 'allow';
  status: 'allow';
  status_msg: string;
}

/** `auth_result` of every token: a token is only ever issued for a login that succeeded. */
export const ALLOWED: AuthResult = { result: 'allow', status: 'allow', status_msg: 'Login Successful' };

export interface ContextInput {
  tx: AuthTransaction;
  user: User | null;
  app: Application;
  username: string;
  device: Authenticator | null;
  /** Where the sign-in came from (GeoIP), when known. */
  location?: Location | null;
}

/** The authentication-log record carried in `auth_context`. */
export function authContext(input: ContextInput): Record<string, unknown> {
  const { tx, user, app, device } = input;
  return authLogRecord({
    txid: tx.id,
    at: tx.updatedAt,
    result: 'success',
    // Duo's authentication-log name for why it was allowed (reasons.ts); every allow reason has one.
    reason: tx.reason ? duoLogReason(tx.reason) : 'user_approved',
    factor: duoFactor(tx.factor, { method: tx.data.method, hardware: Boolean(device?.serial) }),
    alias: user && input.username !== user.username ? input.username : '',
    email: user?.email ?? null,
    user: { name: user?.username ?? input.username, key: user?.id ?? null, groups: user?.groups ?? [] },
    application: { name: app.name, key: app.ikey },
    deviceName: device?.name ?? null,
    ip: tx.ip ?? null,
    location: input.location ?? null,
  });
}
