// The hosted login prompt (/prompt/…): the page, its JSON API, strict CSP and no caching.
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import type { PromptOptions } from './context.ts';
import { registerFlowRoutes } from './flow-routes.ts';
import { registerMethodRoutes } from './method-routes.ts';
import { registerStaticFiles } from './static-files.ts';

/** Where `vite build -c web/prompt/vite.config.ts` writes the page. */
export const DEFAULT_PROMPT_DIST = fileURLToPath(new URL('../../../web/dist/prompt', import.meta.url));

export type { PromptOptions } from './context.ts';

export const promptPlugin: FastifyPluginAsync<PromptOptions> = async (fastify, options) => {
  fastify.addHook('onSend', addSecurityHeaders);
  installJsonErrors(fastify);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_r, body, done) => {
      try {
        done(null, String(body) === '' ? {} : JSON.parse(String(body)));
      } catch {
        done(new CountersignError('INVALID_REQUEST', 'the body is not JSON'), undefined);
      }
    },
  );
  registerStaticFiles(fastify, options.staticDir);
  await fastify.register(
    async (api) => {
      installJsonErrors(api, { notFound: true });
      registerFlowRoutes(api, options);
      registerMethodRoutes(api, options);
    },
    { prefix: '/prompt/api' },
  );
};
