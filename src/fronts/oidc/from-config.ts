// The OpenID provider's settings from the configuration: one place for the server and for CLI commands.
import type { Config } from '../../config.ts';
import { FLOW_TTL_MS } from '../../core/web/prompt-flow.ts';
import type { Branding } from '../web-common/branding.ts';
import type { ProviderSettings } from './create-provider.ts';
import { OIDC_PREFIX } from './prefix.ts';

/** Lifetimes from `oidc.*` and `sso.session_hours`. */
export interface OidcLifetimes {
  idTokenMinutes: number;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  retiredKeyHours: number;
  ssoSessionHours: number;
}

export function oidcLifetimes(config: Readonly<Config>): OidcLifetimes {
  return {
    idTokenMinutes: config.oidc.id_token_minutes,
    accessTokenMinutes: config.oidc.access_token_minutes,
    refreshTokenDays: config.oidc.refresh_token_days,
    retiredKeyHours: config.oidc.retired_key_hours,
    ssoSessionHours: config.sso.session_hours,
  };
}

/** The provider's settings but its keys, for a server at `baseUrl`. */
export function providerSettings(
  baseUrl: string,
  branding: Branding,
  lifetimes: OidcLifetimes,
): Omit<ProviderSettings, 'jwks' | 'cookieKeys'> {
  return {
    issuer: `${baseUrl}${OIDC_PREFIX}`,
    branding,
    ttl: {
      idToken: lifetimes.idTokenMinutes * 60,
      accessToken: lifetimes.accessTokenMinutes * 60,
      refreshToken: lifetimes.refreshTokenDays * 86_400,
      session: Math.ceil(lifetimes.ssoSessionHours * 3600),
      // As long as the prompt's flow: one sign-in, a push timeout and some reading time.
      interaction: Math.ceil(FLOW_TTL_MS / 1000),
    },
  };
}
