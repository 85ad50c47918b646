// Authenticates with a registered security key or passkey; a signature counter that goes back is flagged.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { audit } from '../../core/audit.ts';
import type { Authenticator, User } from '../../core/model.ts';
import { webauthnCredentials } from './credential.ts';
import { issueChallenge, takeChallenge, type WebauthnDeps } from './deps.ts';
import { failureFrom, WebauthnError } from './errors.ts';
import { loadWebauthnLibrary } from './library.ts';
import type { RelyingParty } from './relying-party.ts';

export type WebauthnAuthResult =
  | { ok: true; authenticator: Authenticator; userVerified: boolean }
  | { ok: false; error: WebauthnError; authenticatorId: string | null };

/** Request options listing the user's credentials; the challenge goes to `deps.challenges`. */
export async function webauthnAuthenticationOptions(
  deps: WebauthnDeps,
  user: User,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = webauthnCredentials(await deps.store.authenticators.listForUser(user.id));
  if (credentials.length === 0) throw new WebauthnError('no_credentials', user.id);
  const challenge = await issueChallenge(deps, 'authentication');
  const { generateAuthenticationOptions } = await loadWebauthnLibrary();
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: 120_000,
    userVerification: deps.userVerification,
    allowCredentials: credentials.map(({ credential }) => ({
      id: credential.credentialId,
      transports: credential.transports,
    })),
  });
}

/**
 * Verifies an assertion: challenge (single use), origin, RP ID hash, signature, UV per policy, and the
 * signature counter (WebAuthn L3 §6.1.1: a counter that does not grow suggests a cloned authenticator).
 * Never throws for a bad response: the caller decides what a failure costs.
 */
export async function verifyWebauthnAuthentication(
  deps: WebauthnDeps,
  user: User,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
): Promise<WebauthnAuthResult> {
  let found: ReturnType<typeof webauthnCredentials>[number] | undefined;
  try {
    const expectedChallenge = await takeChallenge(deps, 'authentication');
    const credentials = webauthnCredentials(await deps.store.authenticators.listForUser(user.id));
    found = credentials.find(({ credential }) => credential.credentialId === response?.id);
    if (!found) throw new WebauthnError('unknown_credential', String(response?.id));
    const { credential, authenticator } = found;
    const { verifyAuthenticationResponse } = await loadWebauthnLibrary();
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      // Counter 0 turns the library's own counter check off: ours below also flags the regression.
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: 0,
        transports: credential.transports as never,
      },
      requireUserVerification: deps.userVerification === 'required',
    });
    if (!verified.verified) throw new WebauthnError('invalid_response', 'signature not verified');
    const { newCounter, userVerified, credentialBackedUp } = verified.authenticationInfo;
    if ((newCounter > 0 || credential.counter > 0) && newCounter <= credential.counter) {
      await flagCounterRegression(deps, user, authenticator, credential.counter, newCounter);
      throw new WebauthnError('counter_regression', `${newCounter} <= ${credential.counter}`);
    }
    await deps.store.authenticators.updateData(authenticator.id, {
      ...authenticator.data,
      counter: newCounter,
      backedUp: credentialBackedUp,
    });
    return { ok: true, authenticator, userVerified };
  } catch (error) {
    return { ok: false, error: failureFrom(error), authenticatorId: found?.authenticator.id ?? null };
  }
}

async function flagCounterRegression(
  deps: WebauthnDeps,
  user: User,
  authenticator: Authenticator,
  stored: number,
  received: number,
): Promise<void> {
  await audit(deps.store, deps.clock.now(), {
    kind: 'fraud',
    action: 'webauthn.counter-regression',
    userId: user.id,
    username: user.username,
    factor: 'webauthn',
    result: 'refused',
    reason: 'counter_regression',
    detail: { authenticatorId: authenticator.id, storedCounter: stored, receivedCounter: received },
  });
}
