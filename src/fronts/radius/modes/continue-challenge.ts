// Answers to an Access-Challenge: the State leads to the waiting transaction, the answer is a passcode or "1".
import { isCountersignError } from '../../../core/errors.ts';
import { settleExpired, submitPasscode } from '../../../core/transaction/index.ts';
import { decodeState, stateMatches } from './challenge-state.ts';
import { fromFinalTransaction, type Outcome, type RequestContext, rejected } from './outcome.ts';
import { pushAndWait } from './second-factor.ts';

const PUSH_ANSWERS = new Set(['1', 'push']);

/** Continues the transaction a State points to; a forged, foreign, reused or expired State is rejected. */
export async function continueChallenge(
  ctx: RequestContext,
  state: Buffer,
  answer: string,
): Promise<Outcome> {
  const { deps } = ctx;
  const decoded = decodeState(state);
  if (!decoded) return rejected(null, 'invalid_state');
  const tx = await deps.store.transactions.get(decoded.txid);
  if (!tx || tx.applicationId !== ctx.app.id || !stateMatches(tx, decoded.secret)) {
    return rejected(null, 'invalid_state');
  }
  const [user, named] = await Promise.all([
    deps.store.users.get(tx.userId),
    deps.store.users.findByName(ctx.username),
  ]);
  if (!user || named?.id !== user.id) return rejected(named, 'invalid_state', { txid: tx.id });
  // Single use: the first answer moves the transaction on, so a State seen again finds it no longer waiting.
  const current = await settleExpired(deps, tx);
  if (current.state !== 'awaiting_factor') {
    const reason = current.state === 'timeout' ? 'state_expired' : 'state_reused';
    return rejected(user, reason, { txid: tx.id });
  }
  if (PUSH_ANSWERS.has(answer.trim().toLowerCase())) return pushAndWait(ctx, current, user, false);
  try {
    return fromFinalTransaction(user, await submitPasscode(deps, current.id, answer));
  } catch (error) {
    // Two answers raced with the same State: only one may decide the transaction.
    if (isCountersignError(error, 'TRANSACTION_FINISHED'))
      return rejected(user, 'state_reused', { txid: tx.id });
    throw error;
  }
}
