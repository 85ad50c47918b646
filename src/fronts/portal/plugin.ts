// The self-service portal at /portal: its JSON API under /portal/api and the built React pages.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { secureRandom, systemClock } from '../../core/clock.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { relyingPartyFor } from '../../methods/webauthn/index.ts';
import type { Mailer } from '../notify/mailer.ts';
import { outboxMailer } from '../notify/outbox-mailer.ts';
import { addRoute } from '../web-common/add-route.ts';
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

async function servePages(fastify: FastifyInstance, distDir: string): Promise<void> {
  const index = join(distDir, 'index.html');
  const page = async () =>
    existsSync(index) ? { built: true, html: await readFile(index, 'utf8') } : { built: false, html: '' };
  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    const { built, html } = await page();
    if (!built)
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The portal is not built. Run: npx vite build --config web/portal/vite.config.ts\n');
    return reply.type('text/html; charset=utf-8').send(html);
  };
  addRoute(fastify, {
    method: 'GET',
    url: '/portal',
    schema: { hide: true },
    handler: (_request, reply) => reply.redirect('/portal/', 301),
  });
  for (const url of ['/portal/', '/portal/enroll', '/portal/devices', '/portal/add', '/portal/activity'])
    addRoute(fastify, { method: 'GET', url, schema: { hide: true }, handler: sendPage });
  if (existsSync(join(distDir, 'assets'))) {
    await fastify.register(fastifyStatic, {
      root: join(distDir, 'assets'),
      prefix: '/portal/assets/',
      decorateReply: false,
      cacheControl: false,
      dotfiles: 'deny',
      setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
    });
  }
}

export const portalPlugin: FastifyPluginAsync<PortalOptions> = async (fastify, options) => {
  const context: PortalContext = {
    deps: options.deps,
    publicUrl: options.publicUrl,
    organization: options.organization,
    mailer: defaultMailer(options),
    rp: () => relyingPartyFor(options.publicUrl(), options.organization, options.webauthn),
    application: portalApplication(options.deps),
  };
  fastify.addHook('onSend', addSecurityHeaders);
  installJsonErrors(fastify);
  await servePages(fastify, options.distDir ?? PORTAL_DIST_DIR);
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
