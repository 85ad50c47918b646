// GET /rest/v1/status.bson: the outcome of an async auth, for duo_unix's loop of at most 20 polls.
import { TRANSACTION_RETENTION_MS } from '../../core/maintenance.ts';
import { claimOnce } from '../../core/single-use/claim-once.ts';
import { isFinal, settleExpired, watchTransaction } from '../../core/transaction/index.ts';
import { describeStatus } from '../auth-api/describe.ts';
import type { V1Handler } from './context.ts';
import { V1Refusal } from './denial.ts';
import { v1Outcome } from './outcome.ts';

/**
 * The first poll of an open login answers at once with `status` only ("Pushed a login request…", printed by the
 * client); every later poll holds until the login is decided and answers `result`. Only one answer without a
 * result, on any node: duo_unix 1.11.3 polls 20 times and, when none of the answers had a `result`, returns
 * DUO_OK from the last successful call — it lets the user in. A poll held past `maxSyncWaitMs` is a denial.
 */
export const status: V1Handler = async (ctx, { app, params, signal }) => {
  const { deps } = ctx;
  const txid = params.get('txid');
  if (txid === undefined || txid === '') throw new V1Refusal('The request names no login.', 40001);
  const stored = await deps.store.transactions.get(txid);
  // Another integration's login is as unknown as a made-up one.
  if (!stored || stored.applicationId !== app.id) throw new V1Refusal('No such login.');
  const tx = await settleExpired(deps, stored);
  if (isFinal(tx.state)) return v1Outcome(tx);
  const first = await claimOnce(deps).claim(['rest-v1-status', txid], tx.createdAt, TRANSACTION_RETENTION_MS);
  if (first) return { status: describeStatus(tx).status_msg };
  const deadline = deps.clock.now() + ctx.maxSyncWaitMs;
  return v1Outcome(await watchTransaction(deps, txid, { until: (t) => isFinal(t.state), deadline, signal }));
};
