// The OpenID Connect provider (/oidc/…): oidc-provider mounted with its body stream intact, and its interactions
// handed to our sign-in (SSO session or password, then the prompt).
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import { brandingOf } from '../web-common/branding.ts';
import { setUpFormPages } from '../web-common/form-pages.ts';
import { oidcSignOutListener } from './backchannel-logout.ts';
import type { ProviderLog } from './create-provider.ts';
import { endProviderSessions } from './end-provider-sessions.ts';
import { type OidcLifetimes, providerSettings } from './from-config.ts';
import { registerInteractionRoutes } from './interaction-routes.ts';
import { mountProvider } from './mount-provider.ts';
import { type ProviderHost, providerHost } from './provider-host.ts';

export interface OidcOptions {
  deps: CoreDeps;
  /** The public base URL (no trailing slash); the issuer is this plus /oidc. */
  publicUrl: () => string;
  organization: string;
  log: ProviderLog;
  /** Lifetimes from the configuration (`oidc.*`, `sso.session_hours`). */
  lifetimes: OidcLifetimes;
  /** Receives the provider host (tests and the administrator's sign-out reach the provider through it). */
  onHost?: (host: ProviderHost) => void;
  /** Shared with the SAML front: a sign-out through either reaches both. */
  logoutHub?: SsoLogoutHub;
}

export const oidcPlugin: FastifyPluginAsync<OidcOptions> = async (fastify, options) => {
  const { deps, lifetimes } = options;
  const branding = brandingOf(fastify, options.organization);
  const ssoSessionMs = Math.round(lifetimes.ssoSessionHours * 3_600_000);
  const host = providerHost({
    deps,
    retiredKeyMs: lifetimes.retiredKeyHours * 3_600_000,
    log: options.log,
    settings: () => providerSettings(options.publicUrl(), branding, lifetimes),
    ...(options.logoutHub && { logoutHub: options.logoutHub }),
  });
  options.onHost?.(host);
  if (options.logoutHub) {
    options.logoutHub.endOidc = (userId, participants) =>
      endProviderSessions(deps, host, options.log, userId, participants);
    options.logoutHub.signOutListeners.push(oidcSignOutListener(deps, () => host.get(), options.log));
  }
  mountProvider(fastify, host, options.publicUrl);
  fastify.register(async (scope) => {
    setUpFormPages(scope, { bodyLimit: 16 * 1024 });
    registerInteractionRoutes(scope, {
      deps,
      host,
      organization: options.organization,
      publicUrl: options.publicUrl,
      ssoSessionMs,
    });
  });
};
