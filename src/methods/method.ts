// The one interface every second factor implements; the registry holds one entry per factor.
import type { Clock, Random } from '../core/clock.ts';
import type { Authenticator, AuthenticatorKind, BypassCode, MethodId, User } from '../core/model.ts';
import type { Repositories } from '../core/repositories.ts';
import type { KeyRing } from '../crypto/keyring.ts';

/** What a method needs from the outside world. */
export interface MethodDeps {
  ring: KeyRing;
  clock: Clock;
  random: Random;
}

/** Capabilities as Duo's preauth names them. */
export type Capability = 'auto' | 'push' | 'sms' | 'phone' | 'mobile_otp';

/** What the caller already read in the same database transaction, so a method need not read it again. */
export interface PasscodeContext {
  /** The user's active bypass codes, when the access decision read them. */
  bypassCodes?: readonly BypassCode[];
}

/** A code that a method accepted (and already spent). */
export interface PasscodeMatch {
  methodId: MethodId;
  authenticatorId: string | null;
}

export interface Method {
  id: MethodId;
  /** Authenticator kinds this method owns (empty for bypass codes, which are not devices). */
  kinds: readonly AuthenticatorKind[];
  /** What an authenticator of this method can do, for preauth's device list. */
  capabilities(authenticator: Authenticator): Capability[];
  /** Code lengths this method can produce, so a 9-digit code is not tried as a 6-digit TOTP. */
  codeLengths?(authenticator: Authenticator | null): number[];
  /** Checks a typed code and spends it atomically; null when it does not match or was already used. */
  verifyPasscode?(
    repos: Repositories,
    deps: MethodDeps,
    user: User,
    authenticators: Authenticator[],
    code: string,
    known?: PasscodeContext,
  ): Promise<PasscodeMatch | null>;
}
