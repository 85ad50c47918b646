// The token endpoint's answer: an HS512 id_token the Duo SDK verifies (reference §6), and an opaque access token.
import type { CoreDeps } from '../../core/deps.ts';
import type { Application, AuthTransaction, OAuthCode } from '../../core/model.ts';
import { ALLOWED, authContext } from './auth-context.ts';
import { signHs512 } from './jwt.ts';

/** The id_token lives 300 s, as in the SDK's own tests. */
export const ID_TOKEN_TTL_SECONDS = 300;

export interface TokenResponse {
  id_token: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** Builds the token response for a redeemed code and its allowed transaction (the caller checked both). */
export async function buildTokenResponse(
  deps: CoreDeps,
  input: { code: OAuthCode; tx: AuthTransaction; app: Application; secret: string; baseUrl: string },
): Promise<TokenResponse> {
  const { code, tx, app } = input;
  const user = await deps.store.users.get(tx.userId);
  const device = tx.deviceId ? await deps.store.authenticators.get(tx.deviceId) : null;
  const location = (await deps.locator?.locate(tx.ip)) ?? null;
  const iat = Math.floor(deps.clock.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: `${input.baseUrl}/oauth/v1/token`,
    aud: code.clientId,
    sub: code.username,
    iat,
    exp: iat + ID_TOKEN_TTL_SECONDS,
    auth_time: Math.floor(tx.updatedAt / 1000),
    // Byte for byte what the application asked about: the SDK compares it exactly (reference §6, check 5).
    preferred_username: code.username,
    ...(code.nonce !== null && { nonce: code.nonce }),
    auth_result: ALLOWED,
    auth_context: authContext({ tx, user, app, username: code.username, device, location }),
  };
  return {
    id_token: signHs512(claims, input.secret),
    access_token: deps.random.bytes(32).toString('base64url'),
    expires_in: 3600,
    token_type: 'Bearer',
  };
}
