// RP-initiated logout ends more than the provider's session: "Sign out everywhere" also ends our single sign-on
// session (OIDC and SAML alike), so no application can sign this browser in again without the password.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { endSsoSession, loadSsoSession } from '../../core/sso/sso-session.ts';
import { cookieString, readCookieHeader, SSO_COOKIE } from '../web-common/cookies.ts';

/**
 * A provider middleware: after a confirmed logout of the whole session (`logout=yes`), the browser's SSO session
 * ends too, unless it belongs to someone else (the provider also logs out an old session when another user signs
 * in on the same browser: the new user's session stays).
 */
export function endSsoOnLogout(deps: CoreDeps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm' || !ctx.oidc.params?.logout) return;
    const sso = await loadSsoSession(deps, readCookieHeader(ctx.req.headers.cookie, SSO_COOKIE));
    if (!sso) return;
    const signedOut = ctx.oidc.session?.accountId;
    if (signedOut !== undefined && signedOut !== sso.session.userId) return;
    await endSsoSession(deps, sso);
    ctx.append('Set-Cookie', cookieString(SSO_COOKIE, '', { expiresAt: 0 }));
  };
}
