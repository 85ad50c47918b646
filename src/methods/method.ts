// The one interface every second factor implements; the registry holds one entry per factor.
import type { Clock, Random } from '../core/clock.ts';
import type { CoreDeps } from '../core/deps.ts';
import type { Locator } from '../core/locate.ts';
import type {
  Application,
  Authenticator,
  AuthenticatorKind,
  AuthTransaction,
  BypassCode,
  MethodId,
  Policy,
  User,
} from '../core/model.ts';
import type { Repositories } from '../core/repositories.ts';
import type { ReasonFor } from '../core/transaction/index.ts';
import type { KeyRing } from '../crypto/keyring.ts';

/** What a method needs from the outside world. */
export interface MethodDeps {
  ring: KeyRing;
  clock: Clock;
  random: Random;
  /** Where the sign-in comes from, shown on a push request (GeoIP); absent when off. */
  locator?: Locator;
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

/** A login being decided, as a method sees it: read in the database transaction that records the outcome. */
export interface Attempt {
  repos: Repositories;
  deps: MethodDeps;
  tx: AuthTransaction;
  user: User;
  app: Application;
  policy: Policy;
}

/** What starting an attempt produced; the transaction module records it (a method never moves a transaction). */
export interface Challenge<Shown> {
  /** Kept in the transaction's data until the answer (the push request, the WebAuthn challenge). */
  data: Record<string, unknown>;
  /** What the front hands to the user's browser or client (WebAuthn request options), or null. */
  shown: Shown;
  /**
   * An out-of-band request (a push): the transaction waits in `pushed` for this authenticator's answer until
   * `expiresAt`, after the push-fatigue limits (`automatic`: the user did not ask for it) let it go out.
   */
  sent?: {
    authenticatorId: string;
    expiresAt: number;
    automatic: boolean;
    /** What the waiting login says meanwhile: a push (default) or a ringing call. */
    reason?: 'pushed' | 'calling';
  };
}

/** What a method found an answer to be; the transaction module turns it into the move. */
export type Verdict =
  /** Proved by this authenticator (null: a bypass code, which is no device); `reason` says how. */
  | {
      result: 'allow';
      authenticatorId: string | null;
      reason: ReasonFor<'allow'>;
      data?: Record<string, unknown>;
    }
  /** A failed attempt; a `counted` one counts towards lockout (800-63B §5.2.2), a user's own "deny" does not. */
  | {
      result: 'deny';
      reason: ReasonFor<'deny'>;
      counted: boolean;
      authenticatorId?: string | null;
      data?: Record<string, unknown>;
    }
  /** The user reported the request as fraud. */
  | { result: 'fraud'; reason: ReasonFor<'fraud'> };

/** What a method needs to tell an authenticator about a transaction, after it was committed. */
export type DeliveryDeps = Pick<CoreDeps, 'store' | 'bus' | 'notify' | 'telephony'>;

/** A request that could not go out at all (a call refused by the telephony limits): the login ends with `reason`. */
export interface DeliveryRefusal {
  refused: ReasonFor<'deny'>;
}

/**
 * A second factor. Passcode methods implement `verifyPasscode`; methods that start an attempt and judge its answer
 * (push, WebAuthn) implement `challenge` and `verify`, typed by what starting (`Start`) and answering (`Answer`)
 * carry and what the user is shown (`Shown`). The transaction module calls them and alone moves the transaction.
 */
export interface Method<Start = never, Shown = unknown, Answer = never> {
  id: MethodId;
  /** Authenticator kinds this method owns (empty for bypass codes, which are not devices). */
  kinds: readonly AuthenticatorKind[];
  /** Kinds another method owns that this one also signs in with (SMS passcodes go to a `phone`). */
  usesKinds?: readonly AuthenticatorKind[];
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
  /** Starts an attempt on a waiting login (sends a push, issues a WebAuthn challenge); no side effects outside. */
  challenge?(attempt: Attempt, input: Start): Promise<Challenge<Shown>>;
  /**
   * Checks, before anything about the login is revealed, that `answer` comes from the authenticator the login
   * waits for; throws (changing nothing) when it does not.
   */
  authenticate?(repos: Repositories, tx: AuthTransaction, answer: Answer, now: number): Promise<void>;
  /** Judges the answer to the attempt; a wrong answer is a verdict, not an error. */
  verify?(attempt: Attempt, answer: Answer): Promise<Verdict>;
  /** The transaction's data once the attempt is decided (a single-use challenge forgotten). */
  spend?(data: Record<string, unknown>): Record<string, unknown>;
  /** After a start or an answer committed: tells the authenticator (a new request, or its outcome). */
  // biome-ignore lint/suspicious/noConfusingVoidType: most methods deliver nothing back (a push returns void).
  deliver?(deps: DeliveryDeps, tx: AuthTransaction): Promise<void | DeliveryRefusal>;
}
