// Duo Universal Prompt (Web SDK v4) endpoints: /oauth/v1/health_check, /authorize and /token (reference §4–6).
import type { FastifyPluginAsync } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { sendPageError } from '../web-common/page-errors.ts';
import { addSecurityHeaders } from '../web-common/security-headers.ts';
import { AuthorizeError, readAuthorizeRequest } from './authorize-request.ts';
import { ClientAssertionError, verifyClientAssertion } from './client-assertion.ts';
import { readForm, single } from './form.ts';
import { AuthorizeQuery, HealthCheckBody, TokenBody, TokenQuery } from './schemas.ts';
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
  installJsonErrors(fastify);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
    done(null, readForm(request.headers['content-type'], String(body)));
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/oauth/v1/health_check',
    schema: { body: HealthCheckBody },
    handler: async (request, reply) => {
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
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/oauth/v1/authorize',
    schema: { querystring: AuthorizeQuery },
    handler: async (request, reply) => {
      const allowList = async (app: Application) =>
        (await deps.store.settings.get<{ redirectUris?: string[] }>(redirectAllowListKey(app)))
          ?.redirectUris ?? null;
      try {
        const authorize = await readAuthorizeRequest(
          deps,
          request.query as Record<string, unknown>,
          options.publicUrl(),
          allowList,
        );
        return await startUniversalFlow(deps, authorize, request.ip, reply);
      } catch (error) {
        // A person's browser is here, not an SDK: any other failure (the database lost) is a page in plain words.
        if (!(error instanceof AuthorizeError)) return sendPageError(error as Error, request, reply);
        // Never redirect: the redirect_uri is not proven (reference §5, an open redirect otherwise). What was
        // wrong ("the request JWT is not valid: …") is for the operator: the person is told what to do.
        request.log.info({ code: error.code, detail: error.detail }, 'universal prompt request refused');
        return sendMessagePage(reply, 400, {
          title: 'This sign-in link is not valid',
          paragraphs: [
            ...(error.forPerson && error.detail ? [error.detail] : []),
            'Go back to the application and try again.',
            'If this keeps happening, tell the administrator of the application that sent you here.',
          ],
        });
      }
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/oauth/v1/token',
    schema: { querystring: TokenQuery, body: TokenBody },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      // The Python SDK sends everything in the query string of an empty POST; Node sends a form body.
      const params = { ...(request.query as Record<string, unknown>), ...(request.body as object | null) };
      const result = await exchangeCode(deps, params, options.publicUrl());
      return reply.code(result.status).send(result.body);
    },
  });
};
