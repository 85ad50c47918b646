// The OpenID Connect provider (/oidc/…): oidc-provider mounted with its body stream intact, and its interactions
// handed to our sign-in (SSO session or password, then the prompt).
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { readForm } from '../universal/form.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import type { ProviderLog } from './create-provider.ts';
import { type OidcLifetimes, providerSettings } from './from-config.ts';
import { registerInteractionRoutes } from './interaction-routes.ts';
import { mountProvider } from './mount-provider.ts';
import { sendPageError } from './page-errors.ts';
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
}

export const oidcPlugin: FastifyPluginAsync<OidcOptions> = async (fastify, options) => {
  const { deps, lifetimes } = options;
  const ssoSessionMs = Math.round(lifetimes.ssoSessionHours * 3_600_000);
  const host = providerHost({
    deps,
    retiredKeyMs: lifetimes.retiredKeyHours * 3_600_000,
    log: options.log,
    settings: () => providerSettings(options.publicUrl(), options.organization, lifetimes),
  });
  options.onHost?.(host);
  mountProvider(fastify, host, options.publicUrl);
  fastify.register(async (scope) => {
    scope.addHook('onSend', addSecurityHeaders);
    // Our forms post to our own origin: with `no-referrer` browsers would send `Origin: null`, and the origin
    // check (checkCsrf) could not tell our page from another site's.
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('referrer-policy', 'same-origin');
      return payload;
    });
    scope.setErrorHandler(sendPageError);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (request, body, done) => done(null, readForm(request.headers['content-type'], String(body))),
    );
    registerInteractionRoutes(scope, {
      deps,
      host,
      organization: options.organization,
      publicUrl: options.publicUrl,
      ssoSessionMs,
    });
  });
};
