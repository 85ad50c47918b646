// Errors on the sign-in pages answered as pages: a refused request says why (400/403), a failure never shows details.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { STATUS_BY_KIND } from '../web-common/status-by-kind.ts';

/** Fastify error handler for the interaction routes. */
export function sendPageError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof CountersignError) {
    return sendMessagePage(reply, STATUS_BY_KIND[error.kind], {
      title: 'This sign-in request was refused',
      paragraphs: [error.message, 'Go back to the application and sign in again.'],
    });
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return sendMessagePage(reply, status, {
      title: 'This sign-in request is not valid',
      paragraphs: ['Go back to the application and sign in again.'],
    });
  }
  request.log.error({ err: error }, 'sign-in page failed');
  return sendMessagePage(reply, 500, {
    title: 'Sign-in is not available right now',
    paragraphs: ['Something went wrong on our side. Try again in a moment.'],
  });
}
