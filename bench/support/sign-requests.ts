// Signs Auth API passcode logins (signature v2, HMAC-SHA512): each request unique, as a signed POST /auth is single
// use (a resent one is a replay, 401 40103), at about 4 µs a signature.
import { authorizationHeader, signV2 } from '../../src/crypto/duo-signature/index.ts';
import type { BenchUser } from './provision.ts';

/** A ready-to-send HTTP request, in the shape autocannon's `requests` option takes. */
export interface PreparedRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SignOptions {
  ikey: string;
  skey: string;
  /** The Host header as sent (`127.0.0.1:port`); Duo clients sign the host they send. */
  host: string;
}

const PATH = '/auth/v2/auth';
const CHECK_PATH = '/auth/v2/check';

/** One signed form POST to `path` with `params` (sorted by key, as Duo's SDKs send them, §2.2), dated `date`. */
function signPost(
  path: string,
  params: Array<[string, string]>,
  date: string,
  options: SignOptions,
): PreparedRequest {
  const signature = signV2({
    algorithm: 'sha512',
    date,
    method: 'POST',
    host: options.host,
    path,
    params,
    skey: options.skey,
  });
  return {
    method: 'POST',
    path,
    headers: {
      host: options.host,
      date,
      authorization: authorizationHeader(options.ikey, signature),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params).toString(),
  };
}

/**
 * One signed `POST /auth/v2/auth` with `factor=passcode` for `user`, dated `date` (RFC 2822; valid for the
 * server's clock skew, ±5 minutes by default). `nonce` goes in Duo's `hostname` parameter (the host the user signs
 * in from, which Countersign does not read), so two requests for one user never share a signature.
 */
export function signPasscodeRequest(
  user: BenchUser,
  nonce: string,
  date: string,
  options: SignOptions,
): PreparedRequest {
  return signPost(
    PATH,
    [
      ['factor', 'passcode'],
      ['hostname', nonce],
      ['ipaddr', user.ipaddr],
      ['passcode', user.passcode],
      ['username', user.username],
    ],
    date,
    options,
  );
}

/** The current time as Duo's `Date` header, formatted once per second. */
function dateHeader(): () => string {
  let second = -1;
  let text = '';
  return () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) [second, text] = [now, new Date(now * 1000).toUTCString()];
    return text;
  };
}

/** A source of new passcode logins: `next(user)` signs one with a nonce never used before and the current date. */
export function passcodeSigner(options: SignOptions & { noncePrefix: string }) {
  const date = dateHeader();
  let count = 0;
  return {
    next: (user: BenchUser): PreparedRequest =>
      signPasscodeRequest(user, `${options.noncePrefix}${count++}`, date(), options),
    /** How many requests were signed so far. */
    signed: () => count,
  };
}

/**
 * Signed `POST /auth/v2/check` calls (no parameters; repeatable, so one per second of `Date` is enough): the Auth
 * API's own work, a signature checked and an answer sent, with nothing read about a user and nothing written.
 */
export function checkSigner(options: SignOptions) {
  const date = dateHeader();
  let signedFor = '';
  let request: PreparedRequest | undefined;
  return {
    next: (): PreparedRequest => {
      const now = date();
      if (request === undefined || now !== signedFor)
        [signedFor, request] = [now, signPost(CHECK_PATH, [], now, options)];
      return request;
    },
  };
}
