// The prompt's hand-off to a single sign-on front: when a flow of kind `sso` ends, the browser returns to the front
// with a one-time code bound to the front's pending request; the front redeems it for the transaction's outcome.
// The code lives in the authorization-code table under its own hash prefix (it can never pass for a Universal
// Prompt code) and is spent by compare-and-set, so any node redeems it once.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { isFinal } from '../transaction/index.ts';
import type { SsoFinish } from '../web/prompt-flow.ts';

/** How long the browser has to carry the code back to the front (one redirect). */
export const HANDOFF_TTL_MS = 2 * 60_000;

/** What a redeemed hand-off says: the flow's final transaction (or a cancelled one) and the front's own state. */
export interface Handoff {
  /** The transaction the flow ended with; a `cancelled-…` id that matches no transaction when it had none. */
  txid: string;
  username: string;
  /** The opaque state the front started the flow with. */
  state: string | null;
}

function handoffId(protocol: string, code: string): string {
  return createHash('sha256').update(`sso\0${protocol}\0${code}`).digest('base64url');
}

function clientIdOf(finish: Pick<SsoFinish, 'protocol'>): string {
  return `sso:${finish.protocol}`;
}

/**
 * The URL that takes the browser back to the front: `returnTo` with `handoff=<code>`. The code names the flow's
 * transaction when it is final (final states never change) and a transaction that does not exist otherwise.
 */
export async function ssoReturnUrl(
  deps: CoreDeps,
  finish: SsoFinish,
  username: string,
  tx: { id: string; state: Parameters<typeof isFinal>[0] } | null,
): Promise<string> {
  const code = deps.random.bytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.oauthCodes.create({
    id: handoffId(finish.protocol, code),
    clientId: clientIdOf(finish),
    redirectUri: finish.requestRef,
    username,
    // The column carries the front's opaque state back (for Universal codes it holds the OIDC nonce).
    nonce: finish.state,
    txid: tx && isFinal(tx.state) ? tx.id : `cancelled-${deps.random.uuid()}`,
    createdAt: now,
    expiresAt: now + HANDOFF_TTL_MS,
    usedAt: null,
  });
  const separator = finish.returnTo.includes('?') ? '&' : '?';
  return `${finish.returnTo}${separator}handoff=${encodeURIComponent(code)}`;
}

/**
 * Spends a hand-off code once; null when it is unknown, spent, expired, or was issued for another protocol or
 * another pending request (a code cannot finish someone else's sign-in).
 */
export async function redeemHandoff(
  deps: CoreDeps,
  protocol: SsoFinish['protocol'],
  requestRef: string,
  code: string | undefined,
): Promise<Handoff | null> {
  if (code === undefined || code.length === 0 || code.length > 256) return null;
  const row = await deps.store.oauthCodes.consume(handoffId(protocol, code), deps.clock.now());
  if (!row || row.clientId !== clientIdOf({ protocol }) || row.redirectUri !== requestRef) return null;
  return { txid: row.txid, username: row.username, state: row.nonce };
}
