// Pre-signs Auth API passcode logins (signature v2, HMAC-SHA512) so the load generator spends nothing on signing.
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
  /** RFC 2822 date; valid for the server's clock skew (±5 minutes by default). */
  date: string;
}

const PATH = '/auth/v2/auth';

/** One signed `POST /auth/v2/auth` with `factor=passcode` per user. */
export function signPasscodeRequests(users: readonly BenchUser[], options: SignOptions): PreparedRequest[] {
  return users.map((user) => {
    // Form keys in sorted order, as Duo's SDKs send them (§2.2).
    const params: Array<[string, string]> = [
      ['factor', 'passcode'],
      ['passcode', user.passcode],
      ['username', user.username],
    ];
    const signature = signV2({
      algorithm: 'sha512',
      date: options.date,
      method: 'POST',
      host: options.host,
      path: PATH,
      params,
      skey: options.skey,
    });
    return {
      method: 'POST',
      path: PATH,
      headers: {
        host: options.host,
        date: options.date,
        authorization: authorizationHeader(options.ikey, signature),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params).toString(),
    };
  });
}
