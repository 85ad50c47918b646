// The last step of a single sign-on: redeem the prompt's hand-off, check it is this request's and allowed, work out
// how the user signed in, start or extend the SSO session, and audit it with the protocol and relying party.
import { audit } from '../../core/audit.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { User } from '../../core/model.ts';
import { redeemHandoff } from '../../core/sso/handoff.ts';
import { type SignInFacts, signInFacts } from '../../core/sso/sign-in-facts.ts';
import {
  addParticipant,
  endSsoSession,
  loadSsoSession,
  type SsoSession,
  startSsoSession,
} from '../../core/sso/sso-session.ts';
import { readFlowState, type SsoRequest } from './sso-request.ts';

export type SsoOutcome =
  | {
      ok: true;
      user: User;
      facts: SignInFacts;
      sso: SsoSession;
      /** A new SSO session's cookie token (set it), or null when the browser's session was extended. */
      ssoToken: string | null;
    }
  | { ok: false; reason: 'expired' | 'cancelled' | 'denied' };

/** Completes `request` with the hand-off `code`; the browser's SSO cookie is `ssoToken`. */
export async function completeSignIn(
  deps: CoreDeps,
  request: SsoRequest,
  input: { code: string | undefined; ssoToken: string | undefined; sessionTtlMs: number; ip: string | null },
): Promise<SsoOutcome> {
  const handoff = await redeemHandoff(deps, request.protocol, request.requestRef, input.code);
  if (!handoff) return { ok: false, reason: 'expired' };
  const tx = await deps.store.transactions.get(handoff.txid);
  const base = {
    kind: 'auth',
    action: 'sso.sign-in',
    applicationId: request.app.id,
    ip: input.ip,
    detail: { protocol: request.protocol, rp: request.rp, txid: handoff.txid },
  } as const;
  const refuse = async (reason: 'cancelled' | 'denied', userId: string | null) => {
    await audit(deps.store, deps.clock.now(), {
      ...base,
      userId,
      username: handoff.username,
      result: reason === 'cancelled' ? 'cancelled' : 'deny',
      reason: tx?.reason ?? reason,
    });
    return { ok: false, reason } as const;
  };
  if (!tx) return refuse('cancelled', null);
  // Only a transaction this request's application allowed: never one of another application or state.
  if (tx.state !== 'allow' || tx.applicationId !== request.app.id) return refuse('denied', tx.userId);
  const user = await deps.store.users.get(tx.userId);
  if (!user) return refuse('denied', tx.userId);
  const state = readFlowState(handoff.state);
  const current = await loadSsoSession(deps, input.ssoToken);
  const ridden = state.ssoSessionId === null ? null : current;
  // A sign-in that skipped the password rides on one session: it must still be live, this browser's and this user's.
  if (
    state.passwordAt === null &&
    (ridden?.session.id !== state.ssoSessionId || ridden.session.userId !== user.id)
  ) {
    return refuse('denied', user.id);
  }
  const device = tx.deviceId ? await deps.store.authenticators.get(tx.deviceId) : null;
  const facts = signInFacts({ tx, device, passwordAt: state.passwordAt, session: ridden?.data ?? null });
  const participant = { protocol: request.protocol, rp: request.rp, at: deps.clock.now() };
  let sso: SsoSession;
  let ssoToken: string | null = null;
  if (ridden) {
    sso = await addParticipant(deps, { ...ridden, data: { ...ridden.data, ...facts } }, participant);
  } else {
    // A password typed now starts a new session (a new token at every sign-in); the relying parties the
    // browser's previous session of the same user reached carry over, so signing out still reaches them.
    const carried = current?.session.userId === user.id ? current.data.participants : [];
    if (current) await endSsoSession(deps, current);
    const started = await startSsoSession(deps, user, facts, input.sessionTtlMs, carried);
    sso = await addParticipant(deps, started.session, participant);
    ssoToken = started.token;
  }
  await audit(deps.store, deps.clock.now(), {
    ...base,
    userId: user.id,
    username: user.username,
    factor: tx.factor,
    result: 'success',
    reason: tx.reason,
    detail: { ...base.detail, amr: facts.amr, acr: facts.acr },
  });
  return { ok: true, user, facts, sso, ssoToken };
}
