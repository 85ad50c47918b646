// A refused SAML message answered as a page (HTTP 400) in plain words: nothing goes to the service provider, whose
// request could not be trusted (profiles §4.1.3.5).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefusalReason } from '../../saml/index.ts';
import { sendMessagePage } from '../prompt/message-page.ts';

const WORDS: Readonly<Record<RefusalReason, string>> = {
  malformed: 'The request is damaged or incomplete.',
  doctype: 'The request contains a document type declaration, which is never allowed.',
  processing_instruction: 'The request contains a processing instruction, which is never allowed.',
  unexpected_message: 'This address does not take that kind of message.',
  unknown_issuer: 'The application that sent the request is not connected to this sign-in service.',
  destination: 'The request was meant for another address.',
  stale: 'The request is too old, or dated in the future (check the clocks).',
  replayed: 'The request was already used once.',
  signature_missing: 'The request must be signed by the application, and it is not.',
  signature_invalid: "The request's signature does not match the application's registered certificate.",
  signature_algorithm: 'The request is signed with an algorithm that is not allowed.',
  signature_shape: 'The request is signed in a way that is not allowed.',
  acs_not_registered: 'The request asks to send the answer to an address not registered for the application.',
  binding_not_supported: 'The request asks for an answer in a form this service does not send.',
  in_response_to: 'The answer does not match any request of this sign-in service.',
};

/** Sends the refusal page; the detail goes to the log for the operator. */
export function sendRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: { reason: RefusalReason; detail: string },
): FastifyReply {
  request.log.info({ reason: refusal.reason, detail: refusal.detail }, 'saml message refused');
  return sendMessagePage(reply, 400, {
    title: 'This request was refused',
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
