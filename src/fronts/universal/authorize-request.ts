// The authorize request (reference §5): an HS512 request JWT whose claims say who, where to return, and how.
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Application } from '../../core/model.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { redirectUriProblem } from '../../core/web/redirect-uri.ts';
import { audienceMatches, ClaimError, checkExpiry, stringClaim } from './claims.ts';
import { findUniversalClient } from './client-assertion.ts';
import { JwtError, verifyHs512 } from './jwt.ts';

/**
 * A refused authorize request (AUTHORIZE_REQUEST_INVALID): `detail` says why, for the operator's log; never
 * redirected (redirect_uri is not proven). `forPerson` marks a reason the person can act on (their username), which
 * the page shows; protocol reasons (a JWT's claims, its signature) are not theirs to read.
 */
export class AuthorizeError extends CountersignError {
  readonly forPerson: boolean;
  constructor(reason: string, options: { forPerson?: boolean } = {}) {
    super('AUTHORIZE_REQUEST_INVALID', reason);
    this.name = 'AuthorizeError';
    this.forPerson = options.forPerson ?? false;
  }
}

export interface AuthorizeRequest {
  app: Application;
  clientId: string;
  redirectUri: string;
  state: string;
  /** `duo_uname` verbatim (the SDK checks the token's preferred_username against it); its canonical form is valid. */
  username: string;
  nonce: string | null;
  useDuoCode: boolean;
}

/** Checks a redirect URI: absolute, https (http only for loopback), no fragment. */
export function checkRedirectUri(value: string): string {
  const problem = redirectUriProblem(value);
  if (problem !== null) throw new AuthorizeError(problem);
  return value;
}

function outer(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Verifies `/oauth/v1/authorize`'s query: the request JWT (HS512 with the client's secret; iss = client_id =
 * outer client_id; aud = the base URL; exp), response_type code, scope openid, duo_uname, state (22–1024),
 * redirect_uri; outer duplicates must match. `allowedRedirects` is the client's optional allow-list.
 */
export async function readAuthorizeRequest(
  deps: CoreDeps,
  query: Record<string, unknown>,
  baseUrl: string,
  allowedRedirects: (app: Application) => Promise<string[] | null>,
): Promise<AuthorizeRequest> {
  const clientId = outer(query, 'client_id');
  const request = outer(query, 'request');
  if (!clientId) throw new AuthorizeError('The client_id parameter is missing.');
  if (!request) throw new AuthorizeError('The request parameter (the signed request JWT) is missing.');
  const client = await findUniversalClient(deps, clientId);
  if (!client) throw new AuthorizeError('The client_id is not a known client.');
  let claims: Record<string, unknown>;
  try {
    claims = verifyHs512(request, client.secret);
    if (claims.iss !== clientId) throw new ClaimError('iss', 'must match the client_id');
    if (claims.client_id !== clientId)
      throw new ClaimError('client_id', 'must match the client_id parameter');
    if (!audienceMatches(claims.aud, baseUrl)) throw new ClaimError('aud', `must be ${baseUrl}`);
    checkExpiry(claims, deps.clock.now());
    if (claims.response_type !== 'code') throw new ClaimError('response_type', 'must be code');
    const scope = stringClaim(claims, 'scope');
    if (!scope.split(' ').includes('openid')) throw new ClaimError('scope', 'must contain openid');
  } catch (error) {
    if (error instanceof JwtError || error instanceof ClaimError) {
      throw new AuthorizeError(`The request JWT is not valid: ${error.message}.`);
    }
    throw error;
  }
  const read = (name: string) => {
    try {
      return stringClaim(claims, name);
    } catch {
      throw new AuthorizeError(`The request JWT's ${name} claim is missing or empty.`);
    }
  };
  const username = read('duo_uname');
  const state = read('state');
  const redirectUri = checkRedirectUri(read('redirect_uri'));
  // docs/usernames.md: a refused name is said so plainly; it never reaches the new-user policy as a stranger.
  const checkedName = canonicalUsername(username);
  if (!checkedName.ok) {
    throw new AuthorizeError(`The username that the application sent is not valid: ${checkedName.reason}.`, {
      forPerson: true,
    });
  }
  if (state.length < 22 || state.length > 1024) {
    throw new AuthorizeError('The state claim must be 22 to 1024 characters long.');
  }
  for (const [name, value] of [
    ['redirect_uri', redirectUri],
    ['response_type', 'code'],
  ] as const) {
    const given = outer(query, name);
    if (given !== undefined && given !== value)
      throw new AuthorizeError(`The ${name} parameter does not match the request JWT.`);
  }
  const scope = outer(query, 'scope');
  if (scope !== undefined && !scope.split(' ').includes('openid')) {
    throw new AuthorizeError('The scope parameter must contain openid.');
  }
  const allowed = await allowedRedirects(client.app);
  if (allowed !== null && allowed.length > 0 && !allowed.includes(redirectUri)) {
    throw new AuthorizeError('The redirect_uri is not registered for this client.');
  }
  // Python sends the nonce as an outer parameter; a nonce claim is accepted too.
  const nonce = outer(query, 'nonce') ?? (typeof claims.nonce === 'string' ? claims.nonce : null);
  if (nonce !== null && (nonce === '' || nonce.length > 1024))
    throw new AuthorizeError('The nonce is not valid.');
  return {
    app: client.app,
    clientId,
    redirectUri,
    state,
    username,
    nonce,
    useDuoCode: claims.use_duo_code_attribute !== false,
  };
}
