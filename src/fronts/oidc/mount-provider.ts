// Mounts the provider's Koa callback under /oidc inside Fastify without losing request bodies: the routes live in
// an encapsulated plugin whose only content-type parser leaves the body stream unread, so the provider reads the raw
// stream itself (a hijacked route behind Fastify's parsers would find it already consumed).
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Provider } from 'oidc-provider';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { CONTENT_SECURITY_POLICY } from '../web-common/security-headers.ts';
import { OIDC_PREFIX } from './prefix.ts';
import type { ProviderHost } from './provider-host.ts';
import { ProviderBody, ProviderParams } from './schemas.ts';

/**
 * The methods the provider's endpoints answer (OPTIONS for CORS preflights); any other gets the server's
 * ROUTE_NOT_FOUND, as there is no dynamic registration (the only endpoint taking PUT and DELETE). POST is a route
 * of its own: only it has a body to describe.
 */
const READ_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Our CSP without `form-action`: the provider's own pages post forms that end at the relying party (the logout
 * confirmation redirects to its post-logout URI; `response_mode=form_post` posts the code to it). The provider
 * adds the hash of each inline script it writes to `script-src`.
 */
const PROVIDER_CSP = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('form-action'))
  .join('; ');

const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();

/** Registers `/oidc` and `/oidc/*` as the provider's, in their own encapsulated context. */
export function mountProvider(fastify: FastifyInstance, host: ProviderHost, publicUrl: () => string): void {
  fastify.register(async (scope) => {
    // What fails before the provider has the request (its keys cannot be loaded) is answered as our JSON.
    installJsonErrors(scope);
    scope.removeAllContentTypeParsers();
    // Leaves the body unread for the provider, which parses (and limits) what each endpoint accepts.
    scope.addContentTypeParser('*', (_request: FastifyRequest, _payload: IncomingMessage, done) =>
      done(null, undefined),
    );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const provider = await host.get();
      let callback = callbacks.get(provider);
      if (!callback) {
        callback = provider.callback();
        callbacks.set(provider, callback);
      }
      const req = request.raw as IncomingMessage & { originalUrl?: string };
      const res = reply.raw;
      const base = new URL(publicUrl());
      // The provider builds every URL from these: the public URL, and the peer Fastify trusts.
      req.headers['x-forwarded-proto'] = base.protocol.slice(0, -1);
      req.headers['x-forwarded-host'] = base.host;
      req.headers['x-forwarded-for'] = request.ip;
      req.originalUrl = req.url;
      req.url = req.url?.slice(OIDC_PREFIX.length) || '/';
      if (req.url.startsWith('?')) req.url = `/${req.url}`;
      res.setHeader('content-security-policy', PROVIDER_CSP);
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      reply.hijack();
      const finished = new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
      });
      callback(req, res);
      await finished;
    };
    const hide = true; // The provider's discovery document describes its endpoints.
    for (const url of [OIDC_PREFIX, `${OIDC_PREFIX}/*`]) {
      const params = url.endsWith('*') ? { params: ProviderParams } : {};
      addRoute(scope, { method: READ_METHODS, url, schema: { ...params, hide }, handler });
      addRoute(scope, { method: 'POST', url, schema: { ...params, body: ProviderBody, hide }, handler });
    }
  });
}
