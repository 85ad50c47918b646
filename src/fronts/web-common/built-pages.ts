// Serves one of the Vite-built browser apps: its index.html at the app's paths and its hashed assets.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { addRoute } from './add-route.ts';

export interface BuiltPages {
  /** Where `vite build` wrote the app (index.html and assets/). */
  distDir: string;
  /** `/portal`: redirected to `/portal/`. */
  base: string;
  /** Every path that answers with the app's page. */
  pages: readonly string[];
  /** Where the assets are served: `/portal/assets/`. */
  assetsPrefix: string;
  /** The command that builds the app, shown while it is not built. */
  buildCommand: string;
}

/** Registers the app's pages and assets; a missing build answers 503 naming the command that makes it. */
export async function serveBuiltPages(fastify: FastifyInstance, app: BuiltPages): Promise<void> {
  const index = join(app.distDir, 'index.html');
  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    if (!existsSync(index))
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`This page is not built. Run: ${app.buildCommand}\n`);
    return reply.type('text/html; charset=utf-8').send(await readFile(index, 'utf8'));
  };
  addRoute(fastify, {
    method: 'GET',
    url: app.base,
    schema: { hide: true },
    handler: (_request, reply) => reply.redirect(`${app.base}/`, 301),
  });
  for (const url of app.pages)
    addRoute(fastify, { method: 'GET', url, schema: { hide: true }, handler: sendPage });
  if (existsSync(join(app.distDir, 'assets'))) {
    await fastify.register(fastifyStatic, {
      root: join(app.distDir, 'assets'),
      prefix: app.assetsPrefix,
      decorateReply: false,
      cacheControl: false,
      dotfiles: 'deny',
      setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
    });
  }
}
