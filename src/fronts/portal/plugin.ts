// The self-service portal at /portal: its JSON API under /portal/api and the built React pages.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { secureRandom, systemClock } from '../../core/clock.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { relyingPartyFor } from '../../methods/webauthn/index.ts';
import type { Mailer } from '../notify/mailer.ts';
import { outboxMailer } from '../notify/outbox-mailer.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import { serveBuiltPages } from '../web-common/built-pages.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import type { PortalContext } from './context.ts';
import { portalApplication } from './portal-application.ts';
import { deviceRoutes } from './routes-devices.ts';
import { enrollRoutes } from './routes-enroll.ts';
import { phoneRoutes } from './routes-phone.ts';
import { sessionRoutes } from './routes-session.ts';
import { stepUpRoutes } from './routes-step-up.ts';

/** Where `vite build --config web/portal/vite.config.ts` writes. */
export const PORTAL_DIST_DIR = fileURLToPath(new URL('../../../web/dist/portal/', import.meta.url));

export interface PortalOptions {
  deps: CoreDeps;
  publicUrl: () => string;
  organization: string;
  /** Sends the account-change notices; default: `.eml` files in `<dataDir>/outbox` (development and tests). */
  mailer?: Mailer;
  dataDir?: string;
  /** WebAuthn RP ID and accepted origins; default: the public URL's host and origin. */
  /** Overrides of the relying party derived from the public URL (`webauthn.rp_id`, `webauthn.origins`). */
  webauthn?: { id?: string; origins?: string[] };
  distDir?: string;
  /** Shared with the single sign-on fronts: "sign out everywhere" tells their relying parties. */
  logoutHub?: SsoLogoutHub;
}

function defaultMailer(options: PortalOptions): Mailer {
  if (options.mailer) return options.mailer;
  const dir = join(options.dataDir ?? './data', 'outbox');
  // Read through the core's clock and randomness so a test's frozen clock dates the messages.
  const clock = { now: () => (options.deps.clock ?? systemClock).now() };
  return outboxMailer(dir, {
    clock,
    random: options.deps.random ?? secureRandom,
    from: `${options.organization} <no-reply@localhost>`,
  });
}

export const portalPlugin: FastifyPluginAsync<PortalOptions> = async (fastify, options) => {
  const context: PortalContext = {
    deps: options.deps,
    publicUrl: options.publicUrl,
    organization: options.organization,
    mailer: defaultMailer(options),
    rp: () => relyingPartyFor(options.publicUrl(), options.organization, options.webauthn),
    application: portalApplication(options.deps),
    signOutListeners: () => options.logoutHub?.signOutListeners ?? [],
  };
  fastify.addHook('onSend', addSecurityHeaders);
  installJsonErrors(fastify);
  await serveBuiltPages(fastify, {
    distDir: options.distDir ?? PORTAL_DIST_DIR,
    base: '/portal',
    pages: ['/portal/', '/portal/enroll', '/portal/devices', '/portal/add', '/portal/activity'],
    assetsPrefix: '/portal/assets/',
    buildCommand: 'npx vite build --config web/portal/vite.config.ts',
  });
  await fastify.register(
    async (api) => {
      installJsonErrors(api, { notFound: true });
      sessionRoutes(api, context);
      stepUpRoutes(api, context);
      enrollRoutes(api, context);
      deviceRoutes(api, context);
      phoneRoutes(api, context);
    },
    { prefix: '/portal/api' },
  );
};
