// What every /saml route needs: the core, our IdP settings (the public URL is known once the server listens), and
// the inbound checks' dependencies (registered SPs, the shared replay cache).
import type { FastifyReply } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { findServiceProvider } from '../../core/saml/service-providers.ts';
import {
  defineIdp,
  type IdpSettings,
  type InboundDeps,
  type SigningCredential,
  storeReplayCache,
} from '../../saml/index.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import { setCookie } from '../web-common/cookies.ts';
import { newBrowserToken, SAML_COOKIE } from './pending-request.ts';

export const SAML_PREFIX = '/saml';

export interface SamlContext {
  deps: CoreDeps;
  organization: string;
  /** How long a new SSO session lasts. */
  ssoSessionMs: number;
  publicUrl(): string;
  idp(): Promise<IdpSettings>;
  inbound(): Promise<InboundDeps>;
  /** Shared with the OIDC front: a sign-out through either reaches both. */
  logoutHub: SsoLogoutHub | null;
}

/** Builds the context; `entityId` is the configured one, else `<public_url>/saml/metadata`. */
export function samlContext(input: {
  deps: CoreDeps;
  organization: string;
  ssoSessionMs: number;
  publicUrl: () => string;
  entityId: string | undefined;
  credential: () => Promise<SigningCredential>;
  logoutHub?: SsoLogoutHub;
}): SamlContext {
  const { deps } = input;
  const replay = storeReplayCache(deps);
  const idp = async () => {
    const credential = await input.credential();
    const base = `${input.publicUrl()}${SAML_PREFIX}`;
    return defineIdp({
      entityId: input.entityId ?? `${base}/metadata`,
      ssoUrl: `${base}/sso`,
      sloUrl: `${base}/slo`,
      credential,
    });
  };
  return {
    deps,
    organization: input.organization,
    ssoSessionMs: input.ssoSessionMs,
    publicUrl: input.publicUrl,
    logoutHub: input.logoutHub ?? null,
    idp,
    inbound: async () => ({
      idp: await idp(),
      findSp: async (entityId) => (await findServiceProvider(deps.store, entityId))?.sp ?? null,
      replay,
      clock: deps.clock,
    }),
  };
}

/** The browser's binding value: its SAML cookie, set now when it has none. */
export function browserToken(context: SamlContext, reply: FastifyReply, current: string | undefined): string {
  if (current && /^[A-Za-z0-9_-]{43}$/.test(current)) return current;
  const token = newBrowserToken(context.deps);
  // Lax: it must come back on the top-level GET that follows an SP's cross-site POST (a 303 to our page).
  setCookie(reply, SAML_COOKIE, token, { expiresAt: null, sameSite: 'Lax' });
  return token;
}
