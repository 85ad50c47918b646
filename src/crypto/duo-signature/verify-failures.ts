// The 401 failures of Duo request verification, with the exact messages of wire reference §4.

/** Duo's 401 error codes for credential problems (§4). */
export type DuoAuthErrorCode = 40101 | 40102 | 40103 | 40104 | 40105;

/** A rejected request: the front sends `{stat:'FAIL', code, message, message_detail: detail}`. */
export type VerifyFailure = {
  ok: false;
  httpStatus: 401;
  code: DuoAuthErrorCode;
  message: string;
  detail?: string;
};

// §4: message texts as Duo sends them.
const MESSAGES: Readonly<Record<DuoAuthErrorCode, string>> = {
  40101: 'Missing request credentials',
  40102: 'Invalid integration key in request credentials',
  40103: 'Invalid signature in request credentials',
  40104: 'Missing request timestamp',
  40105: 'Bad request timestamp',
};

/** Builds the failure for a code, with an optional detail for `message_detail` and logs. */
export function verifyFailure(code: DuoAuthErrorCode, detail?: string): VerifyFailure {
  const failure: VerifyFailure = { ok: false, httpStatus: 401, code, message: MESSAGES[code] };
  if (detail !== undefined) failure.detail = detail;
  return failure;
}
