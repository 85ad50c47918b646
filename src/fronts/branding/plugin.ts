// What every page shares from the server: the organization's name and logo (/branding), the favicon, and the
// stylesheet of server-rendered pages.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { addRoute } from '../web-common/add-route.ts';
import { FAVICON_PATH, LOGO_PATH, PAGE_CSS_PATH } from '../web-common/branding.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { pageStyle } from '../web-common/page-style.ts';

export interface BrandingOptions {
  organization: string;
  /** `logo_file` from the configuration (its extension already checked there). */
  logoFile: string | undefined;
}

const FAVICON = new URL('../../../web/shared/favicon.svg', import.meta.url);

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/**
 * An image opened on its own (not through <img>) could run an SVG's script: none runs, nothing loads, no framing,
 * and the browser takes the declared type only.
 */
const IMAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'x-content-type-options': 'nosniff',
  'cache-control': 'public, max-age=3600',
};

/** What the React pages read to draw the header. */
export const BrandingReply = Type.Object({
  organization: Type.String(),
  logo: Type.Union([Type.String(), Type.Null()]),
});

export const brandingPlugin: FastifyPluginAsync<BrandingOptions> = async (fastify, options) => {
  installJsonErrors(fastify);
  // No page here: each answer sets its own headers (the images a sandboxing CSP the pages' own would replace).
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  const style = pageStyle();

  addRoute(fastify, {
    method: 'GET',
    url: '/branding',
    schema: { summary: "The organization's name and the address of its logo (null when none is set)." },
    handler: async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return { organization: options.organization, logo: options.logoFile ? LOGO_PATH : null };
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: LOGO_PATH,
    schema: { hide: true },
    handler: async (request, reply) => {
      const file = options.logoFile;
      const type = file ? IMAGE_TYPES[extname(file).toLowerCase()] : undefined;
      if (!file || !type) return reply.code(404).type('text/plain; charset=utf-8').send('No logo is set.\n');
      try {
        return reply
          .headers(IMAGE_HEADERS)
          .type(type)
          .send(await readFile(file));
      } catch (error) {
        // The page still reads well without it; the operator learns why from the log.
        request.log.warn({ err: error, file }, 'logo_file cannot be read');
        return reply.code(404).type('text/plain; charset=utf-8').send('No logo is set.\n');
      }
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: FAVICON_PATH,
    schema: { hide: true },
    handler: async (_request, reply) =>
      reply
        .headers(IMAGE_HEADERS)
        .type('image/svg+xml')
        .send(await readFile(FAVICON)),
  });

  // Browsers ask for /favicon.ico on pages that name no icon (a JSON answer opened in a tab).
  addRoute(fastify, {
    method: 'GET',
    url: '/favicon.ico',
    schema: { hide: true },
    handler: async (_request, reply) => reply.redirect(FAVICON_PATH, 301),
  });

  addRoute(fastify, {
    method: 'GET',
    url: PAGE_CSS_PATH,
    schema: { hide: true },
    handler: async (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(await style()),
  });
};
