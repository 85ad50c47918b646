// Builds the oidc-provider instance: our adapter, accounts, claims, keys, lifetimes, pages and sign-in policy.
import { type KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { type PrivateJwk, SIGNING_ALG } from '../../core/oidc/signing-keys.ts';
import { ACR_VALUES } from '../../core/sso/sign-in-facts.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import type { Branding } from '../web-common/branding.ts';
import { accountFinder, SCOPE_CLAIMS } from './account.ts';
import { storeAdapter } from './adapter.ts';
import { endSsoOnLogout } from './end-sso-on-logout.ts';
import { signInPolicy } from './login-check.ts';
import { errorPage, logoutPage, signedOutPage } from './pages.ts';
import { OIDC_PREFIX } from './prefix.ts';
import { recordProviderSession } from './record-provider-session.ts';
import { routeNotFound } from './route-not-found.ts';

/** Clock skew tolerated with relying parties (the provider's default). */
export const CLOCK_TOLERANCE_SECONDS = 15;

/** The provider's endpoints under the prefix (discovery lists them; relying parties read them from there). */
export const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  end_session: '/logout',
  revocation: '/revoke',
} as const;

/** The provider's cookie names (its interaction, resume and session cookies). */
export const OIDC_COOKIES = {
  session: 'cs-oidc-session',
  interaction: 'cs-oidc-interaction',
  resume: 'cs-oidc-resume',
} as const;

export interface ProviderSettings {
  issuer: string;
  /** The organization's name and logo on the provider's pages. */
  branding: Branding;
  /** Private signing keys, the signing key first. */
  jwks: PrivateJwk[];
  /** Keys that sign the provider's cookies, the newest first (the same on every node). */
  cookieKeys: string[];
  /** Lifetimes in seconds. */
  ttl: { idToken: number; accessToken: number; refreshToken: number; session: number; interaction: number };
}

/** Logs the provider's unexpected errors (a failed query, a bug): everything else is an answer to the client. */
export interface ProviderLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** A provider configured for Countersign (not yet mounted: see mount-provider.ts). */
export function createProvider(
  deps: CoreDeps,
  settings: ProviderSettings,
  log: ProviderLog,
  logoutHub: SsoLogoutHub | null = null,
): Provider {
  const secure = settings.issuer.startsWith('https:');
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure, overwrite: true };
  const provider = new Provider(settings.issuer, {
    adapter: storeAdapter(deps, CLOCK_TOLERANCE_SECONDS),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    findAccount: accountFinder(deps),
    // The provider puts a claim in the ID token only when a scope lists it (or the request asks for it): `acr`,
    // `amr` and `auth_time` ride on `openid`, or they are silently left out.
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      ...SCOPE_CLAIMS,
      openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'],
    },
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((s) => s !== 'openid')],
    acrValues: [...ACR_VALUES],
    responseTypes: ['code'],
    // Every client proves its code with PKCE, confidential or not (OAuth 2.0 Security BCP, RFC 9700 §2.1.1).
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: logoutPage(settings.branding),
        postLogoutSuccessSource: signedOutPage(settings.branding),
      },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    jwks: { keys: settings.jwks },
    cookies: { names: OIDC_COOKIES, long: cookieOptions, short: cookieOptions, keys: settings.cookieKeys },
    ttl: {
      AccessToken: settings.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: settings.ttl.idToken,
      RefreshToken: settings.ttl.refreshToken,
      Interaction: settings.ttl.interaction,
      Session: settings.ttl.session,
      Grant: Math.max(settings.ttl.refreshToken, settings.ttl.session),
    },
    // Rotated on every use: a refresh token presented twice revokes its grant (RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    interactions: {
      url: async (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `${OIDC_PREFIX}/interaction/${interaction.uid}`,
      policy: signInPolicy(),
    },
    routes: ROUTES,
    renderError: errorPage(settings.branding, log),
    // The provider calls out only to back-channel logout URIs, which administrators register (there is no dynamic
    // registration): applications on the internal network must be reachable, so its guard against private and
    // loopback addresses (meant for URLs strangers supply) is taken off. Its 2.5 s timeout stays.
    fetch: (url: string | URL, init: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _guard, ...rest } = init;
      return globalThis.fetch(url, rest);
    },
  });
  // Our mount sets X-Forwarded-* from the public URL and Fastify's trusted peer address (mount-provider.ts).
  provider.proxy = true;
  provider.use(endSsoOnLogout(deps, logoutHub));
  provider.use(recordProviderSession(deps));
  provider.use(routeNotFound);
  provider.on('server_error', (_ctx, error) => log.error({ err: error }, 'OpenID provider error'));
  provider.on('backchannel.error', (_ctx, error, client) =>
    log.warn(
      { err: error, clientId: (client as { clientId?: string } | undefined)?.clientId },
      'back-channel logout was not delivered',
    ),
  );
  return provider;
}
