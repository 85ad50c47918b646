// Remembers the device of a login a factor allowed (the Auth API's trusted_device_token), with "remember me"'s rules.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { policyFor } from '../evaluate-access.ts';
import { TRANSACTION_RETENTION_MS } from '../maintenance.ts';
import type { Application, AuthTransaction, Policy, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { usedSignatureKey } from '../single-use/claim-once.ts';
import { rememberLogin } from '../web/remembered.ts';
import { loadTransaction } from './load-transaction.ts';
import { REASONS } from './reasons.ts';

/**
 * A remembered-login token for `tx`, or null: only for a transaction allowed by a factor the user holds (a
 * bypass, a policy or an earlier remembered login proves none), for an active user, when the policy remembers
 * devices (scope not `off`, hours above 0). One per transaction on every node: a second auth_status poll of the
 * same allowed login gets null. The token lives `rememberHours` and is revoked with the prompt's remembered
 * browsers (sign-out everywhere, device removal, disabling).
 */
export async function rememberAllowed(deps: CoreDeps, tx: AuthTransaction): Promise<Remembered | null> {
  if (!mayRemember(tx)) return null;
  // The reads, the claim, the remembered login and its audit entry in one database transaction: one commit
  // instead of three on PostgreSQL, and on SQLite one batch instead of four in turn between an approval and the
  // waiting poll's answer (issue 14). A token is never claimed without being stored, nor stored without its entry.
  return deps.store.atomically(async (repos) => {
    const { user, app } = await loadTransaction(repos, tx.id);
    if (user.status !== 'active') return null;
    const policy = await policyFor(repos, app, user);
    return rememberAllowedIn(repos, deps, tx, user, app, policy);
  });
}

/** A device remembered for a successful login: the token and when it expires. */
export interface Remembered {
  token: string;
  expiresAt: number;
}

function mayRemember(tx: AuthTransaction): boolean {
  return tx.state === 'allow' && tx.reason !== null && REASONS[tx.reason]?.provesFactor === true;
}

/**
 * rememberAllowed inside an open database transaction, for a caller that already holds the transaction's user,
 * application and policy (a one-shot passcode login decides and remembers in one commit).
 */
export async function rememberAllowedIn(
  repos: Repositories,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  tx: AuthTransaction,
  user: User,
  app: Application,
  policy: Policy,
): Promise<Remembered | null> {
  if (!mayRemember(tx) || user.status !== 'active') return null;
  if (policy.rememberScope === 'off' || policy.rememberHours <= 0) return null;
  // Kept as long as the transaction can be read (maintenance purges it after the retention period; expired
  // claims are purged with the signed requests' claims, claim-once.ts).
  const key = usedSignatureKey(['remembered-device', tx.id]);
  if (!(await repos.usedSignatures.claim(key, tx.updatedAt + TRANSACTION_RETENTION_MS))) return null;
  const remembered = await rememberLogin(repos, deps, user, app, policy);
  if (!remembered) return null;
  // With the other device.* entries: a remembered device is a credential of sorts, not an authentication.
  await audit(repos, deps.clock.now(), {
    kind: 'enrollment',
    action: 'device.remember',
    userId: user.id,
    username: user.username,
    applicationId: app.id,
    ip: tx.ip,
    detail: { txid: tx.id, scope: policy.rememberScope, expiresAt: remembered.expiresAt },
  });
  return remembered;
}
