// Serves the built prompt page (web/dist/prompt): one index.html for every flow URL, hashed assets.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../web-common/add-route.ts';
import { sendMessagePage } from './message-page.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A hashed asset's file name (anything else is a 404 below). */
const AssetParams = Type.Object({ '*': Type.String({ maxLength: 256 }) });

/** A flow's page: the page itself loads the flow, and says when it is gone. */
const PageParams = Type.Object({ flowId: Type.String({ maxLength: 256 }) });

/** Registers `/prompt/:flowId` (the page) and `/prompt/assets/*`. */
export function registerStaticFiles(fastify: FastifyInstance, staticDir: string): void {
  addRoute(fastify, {
    method: 'GET',
    url: '/prompt/assets/*',
    schema: { params: AssetParams, hide: true },
    handler: async (request, reply) => {
      const name = request.params['*'];
      const type = TYPES[extname(name)];
      // Only plain file names Vite wrote: no traversal, no dot files.
      if (!type || !/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) return reply.code(404).send();
      try {
        const body = await readFile(join(staticDir, 'assets', normalize(name)));
        return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
      } catch {
        return reply.code(404).send();
      }
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/prompt/:flowId',
    schema: { params: PageParams, hide: true },
    handler: async (_request, reply) => {
      try {
        const html = await readFile(join(staticDir, 'index.html'));
        return reply.type('text/html; charset=utf-8').send(html);
      } catch {
        return sendMessagePage(reply, 503, {
          title: 'Sign-in is not available',
          paragraphs: ['The sign-in page has not been built on this server. Tell your administrator.'],
        });
      }
    },
  });
}
