// POST /oauth/v1/token (reference §6): client assertion, grant checks, single-use code, then the id_token.
import type { CoreDeps } from '../../core/deps.ts';
import { redeemAuthorizationCode } from '../../core/web/universal-codes.ts';
import { ClientAssertionError, verifyClientAssertion } from './client-assertion.ts';
import { single } from './form.ts';
import { buildTokenResponse } from './id-token.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const INVALID_GRANT = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI.',
};

export interface TokenResult {
  status: number;
  body: unknown;
}

/** Exchanges an authorization code; every refusal has the OAuth `error`/`error_description` shape. */
export async function exchangeCode(
  deps: CoreDeps,
  params: Record<string, unknown>,
  baseUrl: string,
): Promise<TokenResult> {
  let client: Awaited<ReturnType<typeof verifyClientAssertion>>;
  try {
    client = await verifyClientAssertion(deps, {
      clientId: single(params, 'client_id'),
      assertion: single(params, 'client_assertion'),
      audience: `${baseUrl}/oauth/v1/token`,
    });
  } catch (error) {
    if (!(error instanceof ClientAssertionError)) throw error;
    return { status: 400, body: { error: 'invalid_client', error_description: error.detail } };
  }
  if (single(params, 'grant_type') !== 'authorization_code') {
    return {
      status: 400,
      body: {
        error: 'unsupported_grant_type',
        error_description: 'The grant_type must be authorization_code.',
      },
    };
  }
  if (single(params, 'client_assertion_type') !== JWT_BEARER) {
    return {
      status: 400,
      body: {
        error: 'invalid_client',
        error_description: `The client_assertion_type must be ${JWT_BEARER}.`,
      },
    };
  }
  const raw = single(params, 'code');
  // Spent on first use whatever follows: a code presented with the wrong binding is burnt, not retried.
  const code = raw === undefined ? null : await redeemAuthorizationCode(deps, raw);
  if (!code || code.clientId !== client.clientId || code.redirectUri !== single(params, 'redirect_uri')) {
    return { status: 400, body: INVALID_GRANT };
  }
  // Only a login that succeeded is ever exchanged (issue 9.6): codes are issued for nothing else, and a code an
  // earlier version stored for a failure is refused like an unknown one. The SDK never reads auth_result.
  const tx = await deps.store.transactions.get(code.txid);
  if (tx?.state !== 'allow' || tx.applicationId !== client.app.id)
    return { status: 400, body: INVALID_GRANT };
  const body = await buildTokenResponse(deps, { code, tx, app: client.app, secret: client.secret, baseUrl });
  return { status: 200, body };
}
