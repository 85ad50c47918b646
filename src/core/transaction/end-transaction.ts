// Ends an open transaction as a deny, for a front that cannot carry it on (a NAS cannot push without a device).
import type { CoreDeps } from '../deps.ts';
import type { AuthTransaction, User } from '../model.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import type { ReasonFor } from './reasons.ts';

/**
 * Denies `tx` (as the caller last read it: compare-and-set on its version) with `reason`, recording the factor
 * that could not be used; TRANSACTION_FINISHED when it moved meanwhile. A front can end a login, never allow one.
 */
export async function endTransaction(
  deps: CoreDeps,
  tx: AuthTransaction,
  user: Pick<User, 'id' | 'username'>,
  end: { reason: ReasonFor<'deny'>; factor?: string },
): Promise<AuthTransaction> {
  const moved = await deps.store.atomically((repos) =>
    moveTransaction(repos, deps, tx, user, {
      to: 'deny',
      reason: end.reason,
      ...(end.factor !== undefined && { factor: end.factor }),
    }),
  );
  await announce(deps, moved);
  return moved;
}
