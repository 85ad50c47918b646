// Ends a flow where its front wants it to end: a Universal redirect (a code, or access_denied), a single sign-on
// front's hand-off, or a same-origin return path.
import type { CoreDeps } from '../../core/deps.ts';
import type { AuthTransaction } from '../../core/model.ts';
import { ssoReturnUrl } from '../../core/sso/handoff.ts';
import { isFinal } from '../../core/transaction/index.ts';
import { endFlow, type LoadedFlow } from '../../core/web/prompt-flow.ts';
import { isRetryable } from '../../core/web/prompt-steps.ts';
import {
  issueAuthorizationCode,
  universalDeniedUrl,
  universalRedirectUrl,
} from '../../core/web/universal-codes.ts';

/**
 * The URL to send the browser to. A Universal client gets a code only for an allowed transaction, and
 * error=access_denied for every other ending (cancelled, denied, fraud, locked out, refused by policy …).
 * A local front gets the transaction id when it is final (final states never change); a flow cancelled mid-way
 * gets a transaction id that does not exist, which every front reads as a denial.
 */
export async function finishFlow(
  deps: CoreDeps,
  loaded: LoadedFlow,
  tx: AuthTransaction | null,
): Promise<string> {
  const { finish, username } = loaded.flow;
  await endFlow(deps, loaded);
  // A single sign-on front (OIDC, SAML) reads the outcome itself, from a one-time hand-off code.
  if (finish.kind === 'sso') return ssoReturnUrl(deps, finish, username, tx);
  if (finish.kind === 'universal') {
    if (tx?.state === 'allow') {
      return universalRedirectUrl(finish, await issueAuthorizationCode(deps, finish, username, tx));
    }
    // A final refusal the user could not retry is a denial; leaving anything else is the user's own choice.
    const refused = tx !== null && isFinal(tx.state) && !isRetryable(tx);
    return universalDeniedUrl(finish, refused ? 'denied' : 'cancelled');
  }
  const txid = tx && isFinal(tx.state) ? tx.id : `cancelled-${deps.random.uuid()}`;
  const separator = finish.returnTo.includes('?') ? '&' : '?';
  return `${finish.returnTo}${separator}txid=${encodeURIComponent(txid)}`;
}
