// Which second factors a user can confirm a portal session with, from the devices they have.
import type { FactorState } from './portal-session.ts';

export type StepUpMethod = 'push' | 'passcode' | 'webauthn' | 'sms';

/**
 * Push for a Countersign Authenticator, a passcode for any code source, a security key for WebAuthn, and codes
 * texted to a phone number while telephony can text (so a user whose only factor is a phone is never stuck).
 */
export function stepUpMethods(factors: FactorState, canText: boolean): StepUpMethod[] {
  const kinds = new Set(factors.authenticators.map((a) => a.kind));
  const methods: StepUpMethod[] = [];
  if (kinds.has('push')) methods.push('push');
  if (kinds.has('webauthn')) methods.push('webauthn');
  if (kinds.has('push') || kinds.has('totp') || kinds.has('hotp') || factors.backupCodes > 0)
    methods.push('passcode');
  if (canText && kinds.has('phone')) methods.push('sms');
  return methods;
}
