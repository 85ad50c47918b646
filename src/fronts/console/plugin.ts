// The console at /admin: the built React page, its sign-in (the portal's, with the console's own session) under
// /admin/console/auth, and the Admin API's route table behind that session under /admin/console/api.
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { relyingPartyFor } from '../../methods/webauthn/index.ts';
import type { AdminApiContext } from '../admin-api/route.ts';
import type { SignInContext } from '../portal/context.ts';
import { portalApplication } from '../portal/portal-application.ts';
import { sessionRoutes } from '../portal/routes-session.ts';
import { stepUpRoutes } from '../portal/routes-step-up.ts';
import { serveBuiltPages } from '../web-common/built-pages.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import { consoleFlavor } from './console-session.ts';
import { mountConsoleApi } from './mount-api.ts';
import type { HelpDeskLimits } from './role-access.ts';
import { meRoute } from './routes-me.ts';

/** Where `vite build --config web/console/vite.config.ts` writes. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../../web/dist/console/', import.meta.url));

/** The application whose policy governs console sign-ins and their second factor. */
export const CONSOLE_APPLICATION_NAME = 'Countersign console';

export interface ConsoleOptions extends AdminApiContext {
  organization: string;
  idleMinutes: number;
  sessionHours: number;
  limits: HelpDeskLimits;
  webauthn?: { id?: string; origins?: string[] };
  distDir?: string;
}

export const consolePlugin: FastifyPluginAsync<ConsoleOptions> = async (fastify, options) => {
  const deps: CoreDeps = options.deps;
  const flavor = consoleFlavor(options);
  const origin = () => new URL(options.publicUrl()).origin;
  const signIn: SignInContext = {
    deps,
    publicUrl: options.publicUrl,
    organization: options.organization,
    rp: () => relyingPartyFor(options.publicUrl(), options.organization, options.webauthn),
    application: portalApplication(deps, CONSOLE_APPLICATION_NAME),
    signOutListeners: () => options.signOutListeners?.() ?? [],
    flavor,
  };
  fastify.addHook('onSend', addSecurityHeaders);
  installJsonErrors(fastify);
  await serveBuiltPages(fastify, {
    distDir: options.distDir ?? CONSOLE_DIST_DIR,
    base: '/admin',
    pages: ['/admin/'],
    assetsPrefix: '/admin/console/assets/',
    buildCommand: 'npx vite build --config web/console/vite.config.ts',
  });
  await fastify.register(
    async (auth) => {
      installJsonErrors(auth, { notFound: true });
      sessionRoutes(auth, signIn);
      stepUpRoutes(auth, signIn);
      meRoute(auth, { deps, flavor, organization: options.organization, limits: options.limits });
    },
    { prefix: '/admin/console/auth' },
  );
  await fastify.register(
    async (api) => mountConsoleApi(api, { context: options, flavor, origin, limits: options.limits }),
    { prefix: '/admin/console/api' },
  );
};
