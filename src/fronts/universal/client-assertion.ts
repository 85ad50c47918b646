// Client authentication for health_check and token: an HS512 JWT signed with the client secret (reference §3).
import { applicationSecret } from '../../core/admin/create-application.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Application } from '../../core/model.ts';
import { claimAssertionId } from '../../core/web/universal-codes.ts';
import { audienceMatches, ClaimError, checkExpiry, stringClaim } from './claims.ts';
import { decodeUnverified, JwtError, verifyHs512 } from './jwt.ts';

/**
 * A refused client assertion (CLIENT_ASSERTION_INVALID); `detail` is returned to the client as the OAuth
 * `error_description` (it names the check that failed, about the client's own token).
 */
export class ClientAssertionError extends CountersignError {
  constructor(detail: string) {
    super('CLIENT_ASSERTION_INVALID', detail);
    this.name = 'ClientAssertionError';
  }
}

/** A Universal Prompt client: an application of type `universal`, its id the ikey (20), secret the skey (40). */
export async function findUniversalClient(
  deps: CoreDeps,
  clientId: string,
): Promise<{ app: Application; secret: string } | null> {
  if (clientId.length !== 20) return null;
  const app = await deps.store.applications.findByIkey(clientId);
  if (app?.type !== 'universal') return null;
  return { app, secret: applicationSecret(deps, app) };
}

/**
 * Verifies a client assertion for `audience` (this endpoint's full URL): the client from the `client_id` field or
 * the token's `iss`, HS512 with its secret, iss = sub = client_id, aud exact, exp with leeway, jti single use.
 */
export async function verifyClientAssertion(
  deps: CoreDeps,
  input: { clientId: string | undefined; assertion: string | undefined; audience: string },
): Promise<{ app: Application; secret: string; clientId: string }> {
  const { assertion } = input;
  if (!assertion) throw new ClientAssertionError('The client_assertion parameter is missing.');
  try {
    const clientId = input.clientId ?? stringClaim(decodeUnverified(assertion), 'iss');
    const client = await findUniversalClient(deps, clientId);
    if (!client) throw new ClientAssertionError('The client_id is not a known client.');
    const claims = verifyHs512(assertion, client.secret);
    if (claims.iss !== clientId) throw new ClaimError('iss', 'must match the supplied client_id');
    if (claims.sub !== clientId) throw new ClaimError('sub', 'must match the supplied client_id');
    if (!audienceMatches(claims.aud, input.audience))
      throw new ClaimError('aud', `must be ${input.audience}`);
    const exp = checkExpiry(claims, deps.clock.now());
    if (claims.jti !== undefined) {
      const jti = stringClaim(claims, 'jti');
      if (jti.length > 256) throw new ClaimError('jti', 'is too long');
      const first = await claimAssertionId(deps, clientId, jti, Math.ceil(exp * 1000) + 60_000);
      if (!first) throw new ClaimError('jti', 'was already used: client assertions are single use');
    }
    return { ...client, clientId };
  } catch (error) {
    if (error instanceof ClaimError)
      throw new ClientAssertionError(`Invalid Client assertion: ${error.message}`);
    if (error instanceof JwtError)
      throw new ClientAssertionError(`Invalid Client assertion: ${error.message}`);
    throw error;
  }
}
