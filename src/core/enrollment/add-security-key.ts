// Enrolls a security key or passkey from a checked WebAuthn registration response, audited.
import {
  type ChallengeSlot,
  type RegistrationResponseJSON,
  type RelyingParty,
  verifyWebauthnRegistration,
} from '../../methods/webauthn/index.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import type { Authenticator, Policy, User } from '../model.ts';
import { checkDeviceName } from './manage-devices.ts';

/** Verifies `response` against the pending challenge in `challenges` and saves the credential. */
export async function addSecurityKey(
  deps: CoreDeps,
  actor: string,
  user: User,
  input: {
    response: RegistrationResponseJSON;
    rp: RelyingParty;
    name: unknown;
    challenges: ChallengeSlot;
    userVerification: Policy['userVerification'];
  },
): Promise<Authenticator> {
  const name = checkDeviceName(input.name ?? 'Security key');
  const wdeps = { ...deps, challenges: input.challenges, userVerification: input.userVerification };
  const authenticator = await verifyWebauthnRegistration(wdeps, user, input.response, input.rp, name);
  await audit(deps.store, deps.clock.now(), {
    kind: 'enrollment',
    action: 'webauthn.add',
    actor,
    userId: user.id,
    username: user.username,
    detail: { authenticatorId: authenticator.id, aaguid: authenticator.data.aaguid },
  });
  return authenticator;
}
