// One set-up for the server-rendered pages that post forms to themselves (the SSO sign-in pages, SAML).
import type { FastifyInstance } from 'fastify';
import { readForm } from '../universal/form.ts';
import { sendPageError } from './page-errors.ts';
import { addSecurityHeaders } from './security-headers.ts';

/**
 * Security headers, `referrer-policy: same-origin`, errors answered as pages, and form bodies only (up to
 * `bodyLimit` bytes) on an encapsulated scope. Our forms post to our own origin: with `no-referrer` browsers
 * would send `Origin: null`, and the origin check (checkCsrf) could not tell our page from another site's.
 */
export function setUpFormPages(scope: FastifyInstance, options: { bodyLimit: number }): void {
  scope.addHook('onSend', addSecurityHeaders);
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });
  scope.setErrorHandler(sendPageError);
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: options.bodyLimit },
    (request, body, done) => done(null, readForm(request.headers['content-type'], String(body))),
  );
}
