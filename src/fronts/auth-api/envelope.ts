// Duo's response envelope: {"stat":"OK","response":…} or {"stat":"FAIL","code":…,"message":…,"message_detail":…}.
import type { FastifyReply } from 'fastify';
import { type CountersignError, isCountersignError } from '../../core/errors.ts';
import { retryAfterHeader } from '../web-common/status-by-kind.ts';

/** A failure that maps straight onto Duo's numeric error codes. */
export class DuoApiError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly detail: string | undefined;
  /** Sent as `Retry-After` (seconds); wire reference §4: every 429 carries one. */
  readonly retryAfter: string | undefined;
  constructor(httpStatus: number, code: number, message: string, detail?: string, retryAfter?: string) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/** 40001: a required parameter is absent (`detail` names it). */
export function missingParameter(name: string): DuoApiError {
  return new DuoApiError(400, 40001, 'Missing required request parameters', name);
}

/** 40002: a parameter's value is not acceptable (`detail` names it or says why). */
export function invalidParameter(detail: string): DuoApiError {
  return new DuoApiError(400, 40002, 'Invalid request parameters', detail);
}

/** Sends a success envelope. */
export function sendOk(reply: FastifyReply, response: unknown): FastifyReply {
  return reply.code(200).type('application/json').send({ stat: 'OK', response });
}

/** Sends a failure envelope; a JSON body always, as Duo's Node client parses every body. */
export function sendFail(reply: FastifyReply, error: DuoApiError): FastifyReply {
  const body: Record<string, unknown> = { stat: 'FAIL', code: error.code, message: error.message };
  if (error.detail !== undefined) body.message_detail = error.detail;
  if (error.retryAfter !== undefined) reply.header('retry-after', error.retryAfter);
  return reply.code(error.httpStatus).type('application/json').send(body);
}

function fromCore(error: CountersignError): DuoApiError {
  switch (error.kind) {
    case 'not_found':
      return new DuoApiError(404, 40401, 'Resource not found', error.message);
    case 'unavailable':
      // The login was not decided: the client's own failmode applies, as with Duo's 503s.
      return new DuoApiError(503, 50301, 'Service unavailable', error.message, retryAfterHeader(error));
    case 'limited':
      return new DuoApiError(429, 42901, 'Too Many Requests', error.detail, retryAfterHeader(error));
    default:
      return invalidParameter(
        error.code === 'NO_CAPABLE_DEVICE' ? 'no capable device' : (error.detail ?? error.message),
      );
  }
}

/** Maps any thrown value to a Duo error: our own errors keep their meaning, the rest are 500 50001. */
export function toDuoError(error: unknown): DuoApiError {
  if (error instanceof DuoApiError) return error;
  if (isCountersignError(error)) return fromCore(error);
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new DuoApiError(
      status,
      status * 100 + 1,
      status === 413 ? 'Request too large' : 'Invalid request',
      (error as Error).message,
    );
  }
  return new DuoApiError(500, 50001, 'Internal server error');
}
