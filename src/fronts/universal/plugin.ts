// Duo Universal Prompt (Web SDK v4) endpoints: /oauth/v1/health_check, /authorize and /token (reference §4–6).
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { isCountersignError } from '../../core/errors.ts';
import type { Application } from '../../core/model.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import { AuthorizeError, readAuthorizeRequest } from './authorize-request.ts';
import { ClientAssertionError, verifyClientAssertion } from './client-assertion.ts';
import { readForm, single } from './form.ts';
import { startUniversalFlow } from './start-flow.ts';
import { exchangeCode } from './token.ts';

export interface UniversalOptions {
  deps: CoreDeps;
  /** The public base URL, exactly `https://<apiHost>` as the SDK is configured (no trailing slash). */
  publicUrl: () => string;
}

/** The settings key of a client's optional redirect URI allow-list: `{ redirectUris: string[] }`. */
export function redirectAllowListKey(app: Application): string {
  return `universal:${app.id}`;
}

export const universalPlugin: FastifyPluginAsync<UniversalOptions> = async (fastify, options) => {
  const { deps } = options;
  fastify.addHook('onSend', addSecurityHeaders);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
    done(null, readForm(request.headers['content-type'], String(body)));
  });

  // The database (or the key ring) is down: 503 and RFC 6749's temporarily_unavailable, as every front answers
  // the kind `unavailable`; anything else goes on to Fastify's own handler.
  fastify.setErrorHandler((error, request, reply) => {
    if (!isCountersignError(error) || error.kind !== 'unavailable') throw error;
    request.log.error({ err: error }, 'Universal Prompt: service unavailable');
    if (request.method === 'GET') {
      return sendMessagePage(reply, 503, {
        title: 'Sign-in is unavailable right now',
        paragraphs: ['Please try again in a few minutes.'],
      });
    }
    return reply.code(503).send({
      error: 'temporarily_unavailable',
      error_description: 'The service is unavailable. Try again shortly.',
    });
  });

  fastify.post('/oauth/v1/health_check', async (request, reply) => {
    const form = { ...(request.body as Record<string, unknown> | null) };
    const now = Math.floor(deps.clock.now() / 1000);
    try {
      await verifyClientAssertion(deps, {
        clientId: single(form, 'client_id'),
        assertion: single(form, 'client_assertion'),
        audience: `${options.publicUrl()}/oauth/v1/health_check`,
      });
    } catch (error) {
      if (!(error instanceof ClientAssertionError)) throw error;
      return reply.code(400).send({
        stat: 'FAIL',
        code: 40002,
        message: 'invalid_client',
        message_detail: 'The provided client_assertion was invalid.',
        timestamp: now,
      });
    }
    return { stat: 'OK', response: { timestamp: now } };
  });

  fastify.get('/oauth/v1/authorize', async (request, reply) => {
    const allowList = async (app: Application) =>
      (await deps.store.settings.get<{ redirectUris?: string[] }>(redirectAllowListKey(app)))?.redirectUris ??
      null;
    try {
      const authorize = await readAuthorizeRequest(
        deps,
        request.query as Record<string, unknown>,
        options.publicUrl(),
        allowList,
      );
      return await startUniversalFlow(deps, authorize, request.ip, reply);
    } catch (error) {
      if (!(error instanceof AuthorizeError)) throw error;
      // Never redirect: the redirect_uri is not proven (reference §5, an open redirect otherwise).
      return sendMessagePage(reply, 400, {
        title: 'This sign-in request is not valid',
        paragraphs: [
          error.message,
          'Go back to the application and try again. If this keeps happening, tell the administrator of the application that sent you here.',
        ],
      });
    }
  });

  fastify.post('/oauth/v1/token', async (request, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    // The Python SDK sends everything in the query string of an empty POST; Node sends a form body.
    const params = { ...(request.query as Record<string, unknown>), ...(request.body as object | null) };
    const result = await exchangeCode(deps, params, options.publicUrl());
    return reply.code(result.status).send(result.body);
  });
};
