// The provider's interaction policy, with one check of ours: every authorization request goes through our sign-in
// (the prompt and the transaction state machine), even when the provider's own session would let it pass.
import { interactionPolicy, type Policy } from 'oidc-provider';

/** The reason our check gives in the interaction's `prompt.reasons`. */
export const SIGN_IN_REASON = 'countersign_sign_in';

/**
 * The default policy plus our check in the login prompt. Without it a second authorization request from a browser
 * with a provider session would get a code with no transaction: no policy, no audit, no revocation. The check
 * passes only right after our interaction finished (`result.login`). `prompt=none` therefore always answers
 * `login_required`.
 */
export function signInPolicy(): Policy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider: the base policy has no login prompt');
  login.checks.add(
    new interactionPolicy.Check(
      SIGN_IN_REASON,
      'every sign-in goes through Countersign',
      (ctx) => !ctx.oidc.result?.login,
    ),
    0,
  );
  return policy;
}
