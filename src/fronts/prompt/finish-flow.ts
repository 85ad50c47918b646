// Ends a flow where its front wants it to end: a Universal redirect with a code, or a same-origin return path.
import type { CoreDeps } from '../../core/deps.ts';
import type { AuthTransaction } from '../../core/model.ts';
import { isFinal } from '../../core/transaction/states.ts';
import { endFlow, type LoadedFlow } from '../../core/web/prompt-flow.ts';
import { issueAuthorizationCode, universalRedirectUrl } from '../../core/web/universal-codes.ts';

/**
 * The URL to send the browser to. Only a final transaction is bound to the result (final states never change);
 * a flow cancelled mid-way is bound to a transaction id that does not exist, which every front reads as a denial.
 */
export async function finishFlow(
  deps: CoreDeps,
  loaded: LoadedFlow,
  tx: AuthTransaction | null,
): Promise<string> {
  const txid = tx && isFinal(tx.state) ? tx.id : `cancelled-${deps.random.uuid()}`;
  const { finish, username } = loaded.flow;
  await endFlow(deps, loaded);
  if (finish.kind === 'universal') {
    return universalRedirectUrl(finish, await issueAuthorizationCode(deps, finish, username, txid));
  }
  const separator = finish.returnTo.includes('?') ? '&' : '?';
  return `${finish.returnTo}${separator}txid=${encodeURIComponent(txid)}`;
}
