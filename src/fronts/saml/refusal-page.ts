// A refused SAML message answered as a page (HTTP 400) in plain words, its reason logged: nothing goes to the
// service provider, whose request could not be trusted (profiles §4.1.3.5).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefusalReason } from '../../saml/index.ts';
import { sendMessagePage } from '../prompt/message-page.ts';

/** What the person can make of each refusal; the reason and its detail go to the log for the operator. */
const NOT_CONNECTED = 'The application that sent you here is not set up to sign in with us.';
const USED_OR_OLD = 'This sign-in link was already used, or it is too old.';
const NOT_ACCEPTED = 'The application sent a sign-in request we cannot accept.';

const WORDS: Readonly<Record<RefusalReason, string>> = {
  malformed: NOT_ACCEPTED,
  doctype: NOT_ACCEPTED,
  processing_instruction: NOT_ACCEPTED,
  unexpected_message: NOT_ACCEPTED,
  unknown_issuer: NOT_CONNECTED,
  destination: NOT_ACCEPTED,
  stale: USED_OR_OLD,
  replayed: USED_OR_OLD,
  signature_missing: NOT_ACCEPTED,
  signature_invalid: NOT_ACCEPTED,
  signature_algorithm: NOT_ACCEPTED,
  signature_shape: NOT_ACCEPTED,
  acs_not_registered: NOT_CONNECTED,
  binding_not_supported: NOT_CONNECTED,
  in_response_to: USED_OR_OLD,
};

/** Sends the refusal page; the detail goes to the log for the operator. */
export function sendRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: { reason: RefusalReason; detail: string },
): FastifyReply {
  request.log.info({ reason: refusal.reason, detail: refusal.detail }, 'saml message refused');
  return sendMessagePage(reply, 400, {
    title: 'This sign-in link is not valid',
    paragraphs: [
      WORDS[refusal.reason],
      'Go back to the application and try again. If this keeps happening, tell its administrator.',
    ],
  });
}

/** A page for a sign-in that is no longer waiting (expired, finished, or started in another browser). */
export function sendExpired(reply: FastifyReply): FastifyReply {
  return sendMessagePage(reply, 400, {
    title: 'This sign-in has expired',
    paragraphs: [
      'It took too long, it already finished, or it was started in another browser.',
      'Go back to the application and sign in again.',
    ],
  });
}
