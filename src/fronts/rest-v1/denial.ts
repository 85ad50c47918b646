// Every failure on REST v1, but a refused signature, becomes an answer duo_unix 1.x reads as "denied".
//
// Why (duo_unix 1.11.3, lib/duo.c): `duo_call` maps HTTP 401 to DUO_CLIENT_ERROR, 5xx to DUO_SERVER_ERROR and no
// answer to DUO_CONN_ERROR, and `duo_login` turns any of those during preauth into DUO_FAIL_SAFE_ALLOW when the
// client has `failmode = safe` (Debian's sample default): the user is let in without a second factor. A malformed
// BSON body, a missing field or an unknown `result` is DUO_SERVER_ERROR too. What it reads as a denial:
// - preauth `{stat: OK, response: {result: "deny", status}}`: DUO_ABORT, `status` shown to the user;
// - auth (async=0) and status `{stat: OK, response: {result: "deny", status}}`: DUO_FAIL, `status` shown;
// - any call `{stat: FAIL, code, message}` with HTTP 200: DUO_FAIL, `code: message` in the client's log;
// - any other 4xx: DUO_ABORT ("HTTP 404"), used here only for paths that do not exist.
import { type CountersignError, ERRORS, isCountersignError } from '../../core/errors.ts';
import { DuoApiError } from '../duo-api/envelope.ts';
import { fail, ok, type V1Body } from './bson-reply.ts';

/** A refusal this front decides itself (REST v1 switched off, a factor it cannot run), with the user's words. */
export class V1Refusal extends Error {
  override name = 'V1Refusal';
  /** Duo-style number for the FAIL form (`code: message` in the client's log). */
  readonly code: number;
  constructor(message: string, code = 40002) {
    super(message);
    this.code = code;
  }
}

/** How a call reports a denial: with a `result` the client shows, or (async auth, which wants a txid) FAIL. */
export type DenialForm = 'result' | 'fail';

/** The Duo-style number for a core error's kind (only ever read in the client's log). */
function coreCode(error: CountersignError): number {
  switch (error.kind) {
    case 'limited':
      return 42901;
    case 'unavailable':
      return 50301;
    case 'not_found':
      return 40401;
    case 'forbidden':
      return 40301;
    default:
      return 40002;
  }
}

/**
 * The user's words and the number for any thrown value; `unexpected` (logged as an error) when it is not a known
 * refusal. An unreachable database (the store throws STORE_UNAVAILABLE) is logged too.
 */
export function describeFailure(error: unknown): { code: number; message: string; unexpected: boolean } {
  if (error instanceof V1Refusal) return { code: error.code, message: error.message, unexpected: false };
  if (isCountersignError(error, 'STORE_UNAVAILABLE')) {
    return { code: 50301, message: ERRORS.STORE_UNAVAILABLE.message, unexpected: true };
  }
  if (isCountersignError(error)) return { code: coreCode(error), message: error.message, unexpected: false };
  // The Auth API's readers (request decoding, pushinfo) refuse malformed input this way.
  if (error instanceof DuoApiError)
    return { code: error.code, message: 'The request was not valid.', unexpected: false };
  // Fastify's own errors for what the client sent (a body over the limit, a bad content length).
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: status * 100 + 1, message: 'The request was not valid.', unexpected: false };
  }
  return { code: 50001, message: 'The login could not be completed. Try again later.', unexpected: true };
}

/** The denial for `error` in `form`: never a 5xx, never a 401 (the caller sends it with HTTP 200). */
export function denial(form: DenialForm, error: unknown): V1Body {
  const { code, message } = describeFailure(error);
  return form === 'result' ? ok({ result: 'deny', status: message }) : fail(code, message);
}
