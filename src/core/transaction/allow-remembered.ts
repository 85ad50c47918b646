// "Remember me": a browser remembered for this user and application skips the second factor (reason `remembered`).
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import type { AuthTransaction } from '../model.ts';
import { isRemembered } from '../web/remembered.ts';
import { announce, moveTransaction } from './move-transaction.ts';

/**
 * Moves a waiting transaction to `allow` when `token` (the `__Host-cs-remember` cookie) is a live remembered login
 * for its user and application under the current policy; returns null (and changes nothing) otherwise.
 */
export async function allowRemembered(
  deps: CoreDeps,
  txid: string,
  token: string | undefined,
): Promise<AuthTransaction | null> {
  const tx = await deps.store.transactions.get(txid);
  if (!tx) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
  // Only a transaction still waiting for its first factor: a push already sent is answered on the phone.
  if (tx.state !== 'awaiting_factor' || deps.clock.now() >= tx.expiresAt) return null;
  const [user, app] = await Promise.all([
    deps.store.users.get(tx.userId),
    deps.store.applications.get(tx.applicationId),
  ]);
  if (!user || !app || user.status !== 'active') return null;
  const policy = await policyFor(deps.store, app, user);
  if (!(await isRemembered(deps, token, user, app, policy))) return null;
  // Compare-and-set on the version read above: a factor that decided the transaction meanwhile wins.
  const moved = await deps.store.atomically((repos) =>
    moveTransaction(repos, deps, tx, user, {
      to: 'allow',
      proof: { policy: 'remembered' },
      factor: 'remembered',
    }),
  );
  await announce(deps, moved);
  return moved;
}
