// The SAML 2.0 identity provider (/saml/…): metadata, single sign-on through the prompt, and single logout, in one
// encapsulated plugin (its own body parser, security headers and page errors).
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { idpMetadata, type SigningCredential } from '../../saml/index.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import { addRoute } from '../web-common/add-route.ts';
import { setUpFormPages } from '../web-common/form-pages.ts';
import { SAML_PREFIX, samlContext } from './context.ts';
import { applyPagePolicy } from './post-form.ts';
import { ensureSigningFiles } from './signing-files.ts';
import { registerSloRoutes } from './slo-routes.ts';
import { registerSsoRoutes } from './sso-routes.ts';

export interface SamlOptions {
  deps: CoreDeps;
  /** The public base URL (no trailing slash). */
  publicUrl: () => string;
  organization: string;
  /** `saml.entity_id`, when configured. */
  entityId: string | undefined;
  /** The signing key and certificate files (made at first start when both are missing). */
  keyFiles: { keyFile: string; certFile: string };
  /** `sso.session_hours`. */
  ssoSessionHours: number;
  /** Shared with the OIDC front: a sign-out through either reaches both. */
  logoutHub?: SsoLogoutHub;
}

export const samlPlugin: FastifyPluginAsync<SamlOptions> = async (fastify, options) => {
  // Made on first use, not at registration: a server that never speaks SAML never spends time making a key.
  let loading: Promise<SigningCredential> | undefined;
  const credential = () => {
    loading ??= ensureSigningFiles(options.keyFiles, new URL(options.publicUrl()).hostname).then(
      (loaded) => loaded.credential,
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const context = samlContext({
    deps: options.deps,
    organization: options.organization,
    ssoSessionMs: Math.round(options.ssoSessionHours * 3_600_000),
    publicUrl: options.publicUrl,
    entityId: options.entityId,
    credential,
    ...(options.logoutHub && { logoutHub: options.logoutHub }),
  });
  // A POST-binding message is base64 of signed XML: generous, but bounded.
  setUpFormPages(fastify, { bodyLimit: 512 * 1024 });
  fastify.addHook('onSend', applyPagePolicy);

  addRoute(fastify, {
    method: 'GET',
    url: `${SAML_PREFIX}/metadata`,
    schema: { summary: "The identity provider's signed SAML metadata (stable while the settings are)." },
    handler: async (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=3600')
        .type('application/samlmetadata+xml')
        .send(idpMetadata(await context.idp(), { signed: true })),
  });
  registerSsoRoutes(fastify, context);
  registerSloRoutes(fastify, context);
};
