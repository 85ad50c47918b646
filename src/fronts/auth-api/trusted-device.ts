// Duo's trusted_device_token: given with a successful auth's outcome, honoured by preauth (core remembered logins).
import type { CoreDeps } from '../../core/deps.ts';
import type { Application, AuthTransaction, User } from '../../core/model.ts';
import { beginRemembered, type Remembered, rememberAllowed } from '../../core/transaction/index.ts';
import { type DuoStatus, describeStatus } from './describe.ts';

/**
 * The status triple of `tx`, with a `trusted_device_token` when its allow may be remembered (once per tx);
 * `known.remembered` when the login already remembered it in its own database transaction.
 */
export async function describeOutcome(
  deps: CoreDeps,
  tx: AuthTransaction,
  known?: { remembered: Remembered | null },
): Promise<DuoStatus & { trusted_device_token?: string }> {
  const status = describeStatus(tx);
  const remembered = known ? known.remembered : await rememberAllowed(deps, tx);
  return remembered ? { ...status, trusted_device_token: remembered.token } : status;
}

/**
 * preauth's answer for a `trusted_device_token` that remembers `user` at `app`: `allow` (a login allowed for the
 * reason `remembered`), or null when the token is absent, unknown, expired, revoked or not honoured by policy.
 */
export async function preauthRemembered(
  deps: CoreDeps,
  input: { app: Application; user: User; ip: string | null },
  token: string | undefined,
): Promise<{ result: 'allow' | 'deny'; status_msg: string } | null> {
  if (token === undefined || token === '') return null;
  const tx = await beginRemembered(deps, input, token);
  if (tx === null || (tx.state !== 'allow' && tx.state !== 'deny' && tx.state !== 'locked_out')) return null;
  const { result, status_msg } = describeStatus(tx);
  return { result: result === 'allow' ? 'allow' : 'deny', status_msg };
}
