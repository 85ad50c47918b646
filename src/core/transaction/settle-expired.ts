// Ends transactions nobody answered in time: whoever looks first after `expires_at` moves it to `timeout`.
import type { CoreDeps } from '../deps.ts';
import { isCountersignError } from '../errors.ts';
import type { AuthTransaction } from '../model.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import { isFinal } from './states.ts';

/** Returns `tx`, moved to `timeout` first when it is open and past its expiry. */
export async function settleExpired(deps: CoreDeps, tx: AuthTransaction): Promise<AuthTransaction> {
  if (isFinal(tx.state) || deps.clock.now() < tx.expiresAt) return tx;
  try {
    const moved = await deps.store.atomically(async (repos) => {
      const user = await repos.users.get(tx.userId);
      return moveTransaction(repos, deps, tx, user ?? { id: tx.userId, username: '' }, {
        to: 'timeout',
        reason: 'timeout',
      });
    });
    await announce(deps, moved);
    return moved;
  } catch (error) {
    // Another node settled it (or an answer won the race): read what it decided.
    if (isCountersignError(error, 'TRANSACTION_FINISHED'))
      return (await deps.store.transactions.get(tx.id)) ?? tx;
    throw error;
  }
}
