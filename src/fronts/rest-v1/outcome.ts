// A transaction's outcome in REST v1's words: `result` is allow or deny, `status` the line duo_unix prints.
import type { AuthTransaction } from '../../core/model.ts';
import { describeStatus } from '../auth-api/describe.ts';

/** Said when a held request ends before the login is decided. */
export const NOT_DECIDED = 'The login was not approved in time. Try again.';

/**
 * `{result, status}` for `tx`. duo_unix 1.x knows only `allow` and `deny` here (any other result is a server
 * error, which failmode may turn into a login): a login still open is answered as denied.
 */
export function v1Outcome(tx: Pick<AuthTransaction, 'state' | 'reason'>): {
  result: 'allow' | 'deny';
  status: string;
} {
  const { result, status_msg } = describeStatus(tx);
  return result === 'waiting' ? { result: 'deny', status: NOT_DECIDED } : { result, status: status_msg };
}
