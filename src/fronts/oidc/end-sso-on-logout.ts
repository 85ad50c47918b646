// RP-initiated logout ends more than the provider's session: "Sign out everywhere" also ends our single sign-on
// session (OIDC and SAML alike), so no application can sign this browser in again without the password, and the
// SAML service providers that session reached are told in turn (front-channel, through the browser, as SAML single
// logout is) before the browser goes where the provider was sending it.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { endSsoSession, loadSsoSession } from '../../core/sso/sso-session.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import { cookieString, readCookieHeader, SSO_COOKIE } from '../web-common/cookies.ts';

/**
 * A provider middleware: after a confirmed logout of the whole session (`logout=yes`), the browser's SSO session
 * ends too, unless it belongs to someone else (the provider also logs out an old session when another user signs
 * in on the same browser: the new user's session stays).
 */
export function endSsoOnLogout(deps: CoreDeps, hub: SsoLogoutHub | null = null) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm' || !ctx.oidc.params?.logout) return;
    const sso = await loadSsoSession(deps, readCookieHeader(ctx.req.headers.cookie, SSO_COOKIE));
    if (!sso) return;
    const signedOut = ctx.oidc.session?.accountId;
    if (signedOut !== undefined && signedOut !== sso.session.userId) return;
    const participants = await endSsoSession(deps, sso);
    ctx.append('Set-Cookie', cookieString(SSO_COOKIE, '', { expiresAt: 0 }));
    const returnTo = ctx.status >= 300 && ctx.status < 400 ? ctx.response.get('location') || null : null;
    const start = await hub?.startSamlLogout?.(participants, returnTo);
    if (!start) return;
    ctx.redirect(start);
    ctx.status = 303;
  };
}
