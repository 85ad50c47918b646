// Registers a security key or passkey: options for navigator.credentials.create, then the checked response.
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
  VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import { newId } from '../../core/ids.ts';
import type { Authenticator, User } from '../../core/model.ts';
import { webauthnCredentials } from './credential.ts';
import { issueChallenge, takeChallenge, type WebauthnDeps } from './deps.ts';
import { failureFrom, WebauthnError } from './errors.ts';
import { loadWebauthnLibrary } from './library.ts';
import type { RelyingParty } from './relying-party.ts';

/** Creation options for `user`; the challenge is stored in `deps.challenges` (single use, 5 minutes). */
export async function webauthnRegistrationOptions(
  deps: WebauthnDeps,
  user: User,
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = webauthnCredentials(await deps.store.authenticators.listForUser(user.id));
  const challenge = await issueChallenge(deps, 'registration');
  const { generateRegistrationOptions } = await loadWebauthnLibrary();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    // The user handle is our opaque user id, never an e-mail address (WebAuthn L3 §14.6.1).
    userID: new TextEncoder().encode(user.id),
    userDisplayName: user.realName ?? user.username,
    challenge,
    timeout: 120_000,
    attestationType: 'none',
    excludeCredentials: existing.map(({ credential }) => ({
      id: credential.credentialId,
      transports: credential.transports,
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: deps.userVerification },
  });
}

/** Checks a registration response (challenge, origin, RP ID hash, UV per policy) and stores the credential. */
export async function verifyWebauthnRegistration(
  deps: WebauthnDeps,
  user: User,
  response: RegistrationResponseJSON,
  rp: RelyingParty,
  name: string,
): Promise<Authenticator> {
  const expectedChallenge = await takeChallenge(deps, 'registration');
  const { verifyRegistrationResponse } = await loadWebauthnLibrary();
  let verified: VerifiedRegistrationResponse;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: deps.userVerification === 'required',
    });
  } catch (error) {
    throw failureFrom(error);
  }
  if (!verified.verified) throw new WebauthnError('invalid_response', 'not verified');
  const info = verified.registrationInfo;
  const existing = webauthnCredentials(await deps.store.authenticators.listForUser(user.id));
  if (existing.some(({ credential }) => credential.credentialId === info.credential.id)) {
    throw new WebauthnError('already_registered', info.credential.id);
  }
  const now = deps.clock.now();
  const authenticator: Authenticator = {
    id: newId(deps.random, 'D'),
    userId: user.id,
    kind: 'webauthn',
    name,
    serial: null,
    secretSealed: null,
    algorithm: 'sha1',
    digits: 0,
    period: 0,
    counter: 0,
    lastUsedStep: null,
    data: {
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      aaguid: info.aaguid,
      backedUp: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
    },
    createdAt: now,
    lastUsedAt: null,
  };
  await deps.store.authenticators.create(authenticator);
  return authenticator;
}
