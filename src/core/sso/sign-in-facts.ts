// What a finished single sign-on tells the relying party: when the user authenticated, how (RFC 8176 `amr`), and
// at which level (`acr`). Shared by the OpenID Connect provider and the SAML identity provider.
import type { Authenticator, AuthTransaction } from '../model.ts';

/**
 * Authentication context classes (REFEDS Assurance profiles, used the same way by OIDC `acr` and SAML
 * AuthnContextClassRef): a second factor was part of the sign-in, or only one factor was.
 */
export const ACR = {
  mfa: 'https://refeds.org/profile/mfa',
  sfa: 'https://refeds.org/profile/sfa',
} as const;

export const ACR_VALUES: readonly string[] = [ACR.mfa, ACR.sfa];

/** How a sign-in was made, for the relying party. */
export interface SignInFacts {
  /** When the user last actively authenticated (ms): the password or a factor typed or approved. */
  authTime: number;
  /** RFC 8176 Authentication Method Reference values, sorted. */
  amr: string[];
  acr: string;
  /** True when a second factor was part of the sign-in, or of the remembered browser it rides on. */
  secondFactor: boolean;
}

/**
 * The RFC 8176 values of the factor that allowed `tx` (none when policy allowed it without one):
 * - push: `swk` — the Authenticator app signs the approval with a key it keeps (proof of possession of a
 *   software-secured key);
 * - TOTP, HOTP (apps and hardware tokens) and help-desk bypass codes: `otp`;
 * - security key (WebAuthn): `hwk` (a hardware-secured key) and `user` (its user-presence test).
 * A remembered browser adds no value of its own: its factor was used when it was remembered.
 */
export function factorAmr(tx: AuthTransaction, _device: Authenticator | null): string[] {
  switch (tx.factor) {
    case 'push':
      return ['swk'];
    case 'passcode':
      return ['otp'];
    case 'webauthn':
      return ['hwk', 'user'];
    default:
      return [];
  }
}

/** True when `tx` was allowed by a second factor now or by a browser remembered after one. */
export function usedSecondFactor(tx: AuthTransaction): boolean {
  return tx.state === 'allow' && (tx.reason === 'remembered' || factorAmr(tx, null).length > 0);
}

export interface FactsInput {
  /** The allowed transaction of this sign-in. */
  tx: AuthTransaction;
  device: Authenticator | null;
  /** When the password was checked in this sign-in, or null when an earlier sign-in's session covered it. */
  passwordAt: number | null;
  /** The facts of the single sign-on session this sign-in rides on (when the password was not asked again). */
  session: SignInFacts | null;
}

/**
 * Combines this sign-in with the session it rides on: `pwd` from the password (now or in the session), the
 * factor's values, and `mfa` when a second factor joined the password. `authTime` moves to now only when the user
 * did something now (typed the password, used a factor); a remembered browser keeps the session's time.
 */
export function signInFacts(input: FactsInput): SignInFacts {
  const { tx, passwordAt, session } = input;
  const factor = factorAmr(tx, input.device);
  const secondFactor = usedSecondFactor(tx) || (passwordAt === null && (session?.secondFactor ?? false));
  const methods = new Set<string>(factor);
  if (passwordAt !== null) methods.add('pwd');
  else for (const value of session?.amr ?? []) if (value !== 'mfa') methods.add(value);
  if (secondFactor && methods.has('pwd')) methods.add('mfa');
  const actedNow = factor.length > 0 ? tx.updatedAt : null;
  const authTime = Math.max(actedNow ?? 0, passwordAt ?? 0) || session?.authTime || tx.updatedAt;
  return { authTime, amr: [...methods].sort(), acr: secondFactor ? ACR.mfa : ACR.sfa, secondFactor };
}
