// Reads a transaction with the user and application it belongs to, for the steps that carry it on.
import { CountersignError } from '../errors.ts';
import type { Application, AuthTransaction, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';

/**
 * The transaction, its user and its application; TRANSACTION_NOT_FOUND when any of them is gone. With
 * `lockUser`, the user's row is locked before it is read, so steps that count failures or push limits for one
 * user run one at a time on every node and each sees the state the previous one committed.
 */
export async function loadTransaction(
  repos: Repositories,
  txid: string,
  options: { lockUser?: boolean } = {},
): Promise<{ tx: AuthTransaction; user: User; app: Application }> {
  const tx = await repos.transactions.get(txid);
  if (!tx) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
  const [user, app] = await Promise.all([
    options.lockUser ? repos.users.lock(tx.userId) : repos.users.get(tx.userId),
    repos.applications.get(tx.applicationId),
  ]);
  if (!user || !app)
    throw new CountersignError('TRANSACTION_NOT_FOUND', `${txid} lost its user or application`);
  return { tx, user, app };
}
