// Signing out of the SSO session reaches every protocol it was used with, whichever front the sign-out came through:
// the OIDC and SAML fronts are separate plugins, so each registers here what only it can do, and the other calls it.
import type { SignOutListener } from '../../core/sso/sign-user-out.ts';
import type { SsoParticipant } from '../../core/sso/sso-session.ts';

/** What one front does for a sign-out that came through the other. */
export interface SsoLogoutHub {
  /**
   * Set by the OIDC front: ends the provider sessions `participants` name and tells their clients over the back
   * channel; returns how many were told.
   */
  endOidc: ((userId: string, participants: readonly SsoParticipant[]) => Promise<number>) | null;
  /**
   * Set by the SAML front: starts a front-channel logout through the SAML service providers among `participants`
   * (the browser visits each with a LogoutRequest, then goes to `returnTo`); returns the URL that starts it, or null
   * when no SP needs telling.
   */
  startSamlLogout:
    | ((participants: readonly SsoParticipant[], returnTo: string | null) => Promise<string | null>)
    | null;
  /** What each protocol does when a user is signed out everywhere (signUserOut): the OIDC back channel. */
  signOutListeners: SignOutListener[];
}

/** An empty hub; the fronts fill it in as they register. */
export function ssoLogoutHub(): SsoLogoutHub {
  return { endOidc: null, startSamlLogout: null, signOutListeners: [] };
}
