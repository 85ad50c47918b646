// Decodes Duo's response envelope (wire reference §3) into the response or a typed AuthApiError.
import type { HttpResponse } from './transport.ts';

/** A FAIL envelope (or an answer that is not an envelope at all, with `code` 0). */
export class AuthApiError extends Error {
  override name = 'AuthApiError';
  readonly httpStatus: number;
  /** Duo's numeric code (§4), e.g. 40103; 0 when the body was not a Duo envelope. */
  readonly code: number;
  /** `message_detail`, when the server sent one. */
  readonly detail: string | undefined;
  constructor(httpStatus: number, code: number, message: string, detail?: string) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.detail = detail;
  }
}

function notAnEnvelope(response: HttpResponse, why: string): AuthApiError {
  return new AuthApiError(response.status, 0, `the server did not answer with a Duo envelope: ${why}`);
}

/** The `response` of an OK envelope; throws AuthApiError for FAIL or for anything that is not an envelope. */
export function readEnvelope(response: HttpResponse): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw notAnEnvelope(response, `HTTP ${response.status} with a body that is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw notAnEnvelope(response, 'the JSON is not an object');
  const envelope = parsed as Record<string, unknown>;
  if (envelope.stat === 'OK' && response.status === 200 && 'response' in envelope) return envelope.response;
  if (envelope.stat === 'FAIL') {
    // Go's client tolerates `code` as a string (§3); so do we.
    const code = Number(envelope.code);
    const message = typeof envelope.message === 'string' ? envelope.message : '';
    const detail = typeof envelope.message_detail === 'string' ? envelope.message_detail : undefined;
    throw new AuthApiError(response.status, Number.isFinite(code) ? code : 0, message, detail);
  }
  throw notAnEnvelope(response, `HTTP ${response.status} with stat ${JSON.stringify(envelope.stat)}`);
}
