// At most MAX_WAITING_ANSWERS `waiting` answers from auth_status per login, counted in the store (so on every node).
import type { CoreDeps } from '../../core/deps.ts';
import { TRANSACTION_RETENTION_MS } from '../../core/maintenance.ts';
import type { AuthTransaction } from '../../core/model.ts';
import { claimOnce } from '../../core/single-use/claim-once.ts';

/**
 * duo_unix 2.x (lib/duo.c) polls auth_status 20 times and, when none of the answers had a result, returns the last
 * call's DUO_OK: the user is let in. Every node answers a login's first poll at once and a held poll ends with
 * `waiting` after 25 seconds, so a push that lives long enough, or polls spread over nodes, would reach 20.
 */
export const MAX_WAITING_ANSWERS = 10;

/**
 * Counts one `waiting` answer for `tx`: true while fewer than MAX_WAITING_ANSWERS were given, on any node; false
 * after, when the caller must deny. Each answer is one single-use record, kept as long as the transaction.
 */
export async function takeWaitingAnswer(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  tx: Pick<AuthTransaction, 'id' | 'createdAt'>,
): Promise<boolean> {
  const claims = claimOnce(deps);
  for (let answer = 0; answer < MAX_WAITING_ANSWERS; answer++) {
    const identity = ['auth-status-waiting', tx.id, String(answer)];
    if (await claims.claim(identity, tx.createdAt, TRANSACTION_RETENTION_MS)) return true;
  }
  return false;
}
