// Links the provider's session to our SSO session: when the provider signs a client in, the SSO session's entry for
// that client learns the provider session's uid and the client's sid, so a sign-out that starts at a SAML SP can end
// the provider session and name the sid in the back-channel logout token.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { addParticipant, loadSsoSession } from '../../core/sso/sso-session.ts';
import { readCookieHeader, SSO_COOKIE } from '../web-common/cookies.ts';

/** The routes after which the provider's session may have authorized a client. */
const SIGN_IN_ROUTES = new Set(['resume', 'authorization']);

/** A provider middleware recording the provider session of each client the browser's SSO session signed in. */
export function recordProviderSession(deps: CoreDeps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const session = ctx.oidc?.session;
    if (!ctx.oidc?.route || !SIGN_IN_ROUTES.has(ctx.oidc.route) || !session?.uid || !session.accountId)
      return;
    const clientId = ctx.oidc.client?.clientId;
    const sid = clientId ? session.authorizations?.[clientId]?.sid : undefined;
    if (!clientId || !sid) return;
    const sso = await loadSsoSession(deps, readCookieHeader(ctx.req.headers.cookie, SSO_COOKIE));
    if (!sso || sso.session.userId !== session.accountId) return;
    const entry = sso.data.participants.find((p) => p.protocol === 'oidc' && p.rp === clientId);
    if (!entry || (entry.providerSession?.uid === session.uid && entry.providerSession.sid === sid)) return;
    await addParticipant(deps, sso, { ...entry, providerSession: { uid: session.uid, sid } });
  };
}
