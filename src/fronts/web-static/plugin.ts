// Serves the built web apps: the Countersign Authenticator at /app/, the activation page at /activate/, and
// POST /activate/status for the activation page's polling.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { activationStatus } from './activation-status.ts';
import { staticHeaders } from './cache-policy.ts';

/** Where `vite build --config web/vite.config.ts` writes, relative to this file. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebStaticOptions {
  deps: Pick<CoreDeps, 'store' | 'clock'>;
  /** The folder holding `authenticator/` and `activate/` (default: web/dist of this checkout). */
  distDir?: string;
}

/** POST /activate/status: the activation code the page shows. */
export const ActivationStatusBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 128 }) });

const AnyFile = Type.Object({ '*': Type.String() });

function setHeaders(reply: FastifyReply, path: string): void {
  reply.headers(staticHeaders(path));
}

export const webStaticPlugin: FastifyPluginAsync<WebStaticOptions> = async (fastify, options) => {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const mounts = [
    { prefix: '/app/', root: `${distDir}/authenticator` },
    { prefix: '/activate/', root: `${distDir}/activate` },
  ];
  installJsonErrors(fastify);
  let decorated = false;
  for (const { prefix, root } of mounts) {
    // `/app` → `/app/`: the service worker's scope and the relative asset URLs need the slash.
    addRoute(fastify, {
      method: 'GET',
      url: prefix.slice(0, -1),
      schema: { hide: true },
      handler: (request, reply) => {
        const query = request.raw.url?.split('?')[1];
        return reply.redirect(query ? `${prefix}?${query}` : prefix, 301);
      },
    });
    if (!existsSync(`${root}/index.html`)) {
      // Not built: say so plainly instead of a bare 404.
      addRoute(fastify, {
        method: 'GET',
        url: `${prefix}*`,
        schema: { params: AnyFile, hide: true },
        handler: async (_request, reply) =>
          reply
            .code(503)
            .type('text/plain; charset=utf-8')
            .send('The Countersign web apps are not built. Run: npm run build\n'),
      });
      continue;
    }
    await fastify.register(fastifyStatic, {
      root,
      prefix,
      redirect: true,
      index: 'index.html',
      cacheControl: false,
      etag: true,
      lastModified: true,
      dotfiles: 'deny',
      decorateReply: !decorated,
      setHeaders,
    });
    decorated = true;
  }

  addRoute(fastify, {
    method: 'POST',
    url: '/activate/status',
    schema: { body: ActivationStatusBody },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: await activationStatus(options.deps, request.body.code) };
    },
  });
};
