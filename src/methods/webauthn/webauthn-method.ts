// Security keys and passkeys (WebAuthn): a challenge kept in the login, answered by a signed assertion.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { CountersignError } from '../../core/errors.ts';
import type { Method } from '../method.ts';
import { verifyWebauthnAuthentication, webauthnAuthenticationOptions } from './authentication.ts';
import { CHALLENGE_KEY, memoryChallengeSlot, readChallenge, withoutChallenge } from './challenge-slot.ts';
import { WebauthnError } from './errors.ts';
import type { RelyingParty } from './relying-party.ts';

/** An assertion and the relying party it must be for. */
export interface WebauthnAnswer {
  response: AuthenticationResponseJSON;
  rp: RelyingParty;
}

export const webauthnMethod = {
  id: 'webauthn',
  kinds: ['webauthn'],
  // Duo's preauth has no capability for security keys: the Auth API does not offer them.
  capabilities: () => [],
  /** Request options for the user's credentials; the challenge waits in the login's data (any node can check). */
  async challenge({ repos, deps, user, policy }, { rp }: { rp: RelyingParty }) {
    const slot = memoryChallengeSlot();
    const wdeps = { ...deps, store: repos, challenges: slot, userVerification: policy.userVerification };
    const shown: PublicKeyCredentialRequestOptionsJSON = await webauthnAuthenticationOptions(wdeps, user, rp);
    const pending = await slot.take();
    if (!pending) throw new WebauthnError('no_challenge', 'the options kept no challenge');
    return { data: { [CHALLENGE_KEY]: pending }, shown };
  },
  /** Checks the assertion against the login's challenge (spent whatever the outcome). */
  async verify({ repos, deps, tx, user, policy }, { response, rp }) {
    const pending = readChallenge(tx.data);
    const slot = {
      save: async () => {
        throw new CountersignError('INVALID_INPUT', 'no challenge can be issued while answering');
      },
      take: async () => pending,
    };
    const wdeps = { ...deps, store: repos, challenges: slot, userVerification: policy.userVerification };
    const result = await verifyWebauthnAuthentication(wdeps, user, response, rp);
    if (result.ok) {
      return {
        result: 'allow',
        authenticatorId: result.authenticator.id,
        reason: 'valid_webauthn',
        data: { method: 'webauthn' },
      };
    }
    return {
      result: 'deny',
      reason: 'invalid_webauthn',
      counted: true,
      authenticatorId: result.authenticatorId,
      data: { webauthnFailure: result.error.reason },
    };
  },
  spend: withoutChallenge,
} satisfies Method<{ rp: RelyingParty }, PublicKeyCredentialRequestOptionsJSON, WebauthnAnswer>;
