// The AuthnContextClassRef of an assertion: per SP, the stronger class when a second factor was used.
import type { SamlSignIn } from './sign-in.ts';
import type { SpRecord } from './sp-record.ts';

/**
 * The class to assert: the SP's `secondFactor` class (Entra ID's multipleauthn, so it accepts our MFA instead of
 * asking again) when the sign-in used a second factor, its `default` class otherwise.
 */
export function authnContextFor(sp: SpRecord, signIn: Pick<SamlSignIn, 'secondFactor'>): string {
  return signIn.secondFactor ? sp.authnContext.secondFactor : sp.authnContext.default;
}
