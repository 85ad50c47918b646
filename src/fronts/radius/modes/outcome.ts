// What a RADIUS mode decides for one Access-Request, before it becomes a reply: accept, reject or challenge.
import type { CoreDeps } from '../../../core/deps.ts';
import type { Application, AuthTransaction, User } from '../../../core/model.ts';
import type { LiveRadiusClient } from '../client-watcher.ts';

/** Shown on every reject that must not reveal which part failed. */
export const GENERIC_REJECT =
  'Login failed. Check your password and your second factor, or contact your help desk.';
export const ENROLL_FIRST = 'Enroll a device first: ask your help desk for an activation link.';
export const FACTOR_NOT_ENABLED = 'Phone calls and SMS are not enabled here. Use a passcode or push.';

/** Everything a mode needs about the request it is answering. */
export interface RequestContext {
  deps: CoreDeps;
  client: LiveRadiusClient;
  app: Application;
  /** User-Name in canonical form (src/core/usernames.ts). */
  username: string;
  /** Calling-Station-Id when it is an IP address (the user's address as the NAS saw it), else null. */
  ip: string | null;
}

export type Outcome =
  | { kind: 'accept'; user: User | null; reason: string; factor: string | null; txid: string | null }
  | {
      kind: 'reject';
      user: User | null;
      reason: string;
      message: string;
      factor: string | null;
      txid: string | null;
    }
  | { kind: 'challenge'; user: User; reason: string; message: string; state: Buffer; txid: string };

/** A reject with the generic message. */
export function rejected(
  user: User | null,
  reason: string,
  extra: { message?: string; factor?: string | null; txid?: string | null } = {},
): Outcome {
  return {
    kind: 'reject',
    user,
    reason,
    message: extra.message ?? GENERIC_REJECT,
    factor: extra.factor ?? null,
    txid: extra.txid ?? null,
  };
}

/** The outcome of a finished transaction: allow accepts; `not_enrolled` asks to enroll; the rest is generic. */
export function fromFinalTransaction(user: User, tx: AuthTransaction): Outcome {
  const reason = tx.reason ?? tx.state;
  if (tx.state === 'allow') return { kind: 'accept', user, reason, factor: tx.factor, txid: tx.id };
  const message = tx.reason === 'not_enrolled' ? ENROLL_FIRST : GENERIC_REJECT;
  return rejected(user, reason, { message, factor: tx.factor, txid: tx.id });
}
