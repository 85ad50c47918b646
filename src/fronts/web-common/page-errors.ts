// Errors on browser pages (the SSO sign-in pages, SAML) answered as pages in plain words: a refused request says
// what to do (4xx), a failure says to try later (5xx); the protocol detail goes to the log only.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS } from '../../core/errors.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { classifyError } from './json-errors.ts';
import { retryAfterHeader } from './status-by-kind.ts';

/** Fastify error handler for the interaction routes: the JSON fronts' classification, answered as a page. */
export function sendPageError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const classified = classifyError(error);
  const { code, detail } = classified.error;
  // The same Retry-After as the JSON fronts (a lost database, a rate limit): browsers ignore it, proxies do not.
  const retryAfter = retryAfterHeader(classified.error);
  if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
  if (classified.status >= 500) {
    request.log.error({ err: error, code }, 'sign-in page failed');
    return sendMessagePage(reply, classified.status, {
      title: 'Sign-in is not available right now',
      paragraphs: ['Something went wrong on our side. Try again in a moment.'],
    });
  }
  // The detail ("body must have required property …") is for operators: the page shows the registry's words alone.
  request.log.info({ code, detail }, 'sign-in request refused');
  return sendMessagePage(reply, classified.status, {
    title: 'This sign-in link is not valid',
    paragraphs: [ERRORS[code].message, 'Go back to the application and try again.'],
  });
}
