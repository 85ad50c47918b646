// Serves the built web apps: the Countersign Authenticator at /app/, the activation page at /activate/, and
// POST /activate/status for the activation page's polling.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { activationStatus } from './activation-status.ts';
import { staticHeaders } from './cache-policy.ts';

/** Where `vite build --config web/vite.config.ts` writes, relative to this file. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebStaticOptions {
  deps: Pick<CoreDeps, 'store' | 'clock'>;
  /** The folder holding `authenticator/` and `activate/` (default: web/dist of this checkout). */
  distDir?: string;
}

function setHeaders(reply: FastifyReply, path: string): void {
  reply.headers(staticHeaders(path));
}

export const webStaticPlugin: FastifyPluginAsync<WebStaticOptions> = async (fastify, options) => {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const mounts = [
    { prefix: '/app/', root: `${distDir}/authenticator` },
    { prefix: '/activate/', root: `${distDir}/activate` },
  ];
  let decorated = false;
  for (const { prefix, root } of mounts) {
    // `/app` → `/app/`: the service worker's scope and the relative asset URLs need the slash.
    fastify.get(prefix.slice(0, -1), (request, reply) => {
      const query = request.raw.url?.split('?')[1];
      return reply.redirect(query ? `${prefix}?${query}` : prefix, 301);
    });
    if (!existsSync(`${root}/index.html`)) {
      // Not built: say so plainly instead of a bare 404.
      fastify.get(`${prefix}*`, async (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The Countersign web apps are not built. Run: npm run build\n'),
      );
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

  fastify.post('/activate/status', async (request, reply) => {
    const code = (request.body as { code?: unknown } | null)?.code;
    reply.header('cache-control', 'no-store');
    if (typeof code !== 'string' || code.length === 0 || code.length > 128) {
      return reply
        .code(400)
        .send({ error: 'INVALID_INPUT', message: 'the body must be {"code": "<activation code>"}' });
    }
    return { status: await activationStatus(options.deps, code) };
  });
};
