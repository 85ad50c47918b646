// Duo's response envelope: {"stat":"OK","response":…} or {"stat":"FAIL","code":…,"message":…,"message_detail":…}.
import type { FastifyReply } from 'fastify';
import { type CountersignError, type ErrorKind, isCountersignError } from '../../core/errors.ts';
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

/** Sends a success envelope; `metadata` (the Admin API's v1 paging) goes beside `response`, as Duo puts it. */
export function sendOk(reply: FastifyReply, response: unknown, metadata?: unknown): FastifyReply {
  const body = metadata === undefined ? { stat: 'OK', response } : { stat: 'OK', response, metadata };
  return reply.code(200).type('application/json').send(body);
}

/** Sends a failure envelope; a JSON body always, as Duo's Node client parses every body. */
export function sendFail(reply: FastifyReply, error: DuoApiError): FastifyReply {
  const body: Record<string, unknown> = { stat: 'FAIL', code: error.code, message: error.message };
  if (error.detail !== undefined) body.message_detail = error.detail;
  if (error.retryAfter !== undefined) reply.header('retry-after', error.retryAfter);
  return reply.code(error.httpStatus).type('application/json').send(body);
}

/** What goes in `message_detail`: the error's detail, the detail or else the registry's message, that message, none. */
type DuoDetail = 'detail' | 'detail-or-message' | 'message' | 'none';

/**
 * Duo's answer for each kind of core error (docs/errors.md), the Auth API's counterpart of STATUS_BY_KIND: Duo
 * answers every refusal of a parameter with 400 40002. Auth API callers hold the integration's secret key, so
 * they get the detail in `message_detail`, as Duo's own API does.
 */
const DUO_BY_KIND: Readonly<
  Record<ErrorKind, { status: number; code: number; message: string; detail: DuoDetail }>
> = {
  invalid: { status: 400, code: 40002, message: 'Invalid request parameters', detail: 'detail-or-message' },
  conflict: { status: 400, code: 40002, message: 'Invalid request parameters', detail: 'detail-or-message' },
  forbidden: { status: 400, code: 40002, message: 'Invalid request parameters', detail: 'detail-or-message' },
  unauthenticated: {
    status: 401,
    code: 40103,
    message: 'Invalid signature in request credentials',
    detail: 'none',
  },
  not_found: { status: 404, code: 40401, message: 'Resource not found', detail: 'message' },
  limited: { status: 429, code: 42901, message: 'Too Many Requests', detail: 'detail' },
  unavailable: { status: 503, code: 50301, message: 'Service unavailable', detail: 'message' },
  internal: { status: 500, code: 50001, message: 'Internal server error', detail: 'none' },
};

function fromCore(error: CountersignError): DuoApiError {
  const duo = DUO_BY_KIND[error.kind];
  // docs/auth-api.md: a push without a capable device is always 40002 "no capable device", as Duo answers.
  const mode: DuoDetail = error.code === 'NO_CAPABLE_DEVICE' ? 'message' : duo.detail;
  const detail = {
    detail: error.detail,
    'detail-or-message': error.detail ?? error.message,
    message: error.message,
    none: undefined,
  }[mode];
  return new DuoApiError(duo.status, duo.code, duo.message, detail, retryAfterHeader(error));
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
