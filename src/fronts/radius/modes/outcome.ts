// What a RADIUS mode decides for one Access-Request, before it becomes a reply: accept, reject or challenge.
import type { CoreDeps } from '../../../core/deps.ts';
import type { Application, AuthTransaction, User } from '../../../core/model.ts';
import { REASONS, type Reason } from '../../../core/transaction/index.ts';
import type { LiveRadiusClient } from '../client-watcher.ts';

/** Shown on every reject that must not reveal which part failed (the reasons table's generic Reply-Message). */
export const GENERIC_REJECT: string = REASONS.unknown_reason.radius;

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
  | { kind: 'accept'; user: User | null; reason: Reason; factor: string | null; txid: string | null }
  | {
      kind: 'reject';
      user: User | null;
      reason: Reason;
      message: string;
      factor: string | null;
      txid: string | null;
    }
  | { kind: 'challenge'; user: User; reason: 'challenge'; message: string; state: Buffer; txid: string };

/** A reject with the reason's Reply-Message from the reasons table, unless `extra.message` says more. */
export function rejected(
  user: User | null,
  reason: Reason,
  extra: { message?: string; factor?: string | null; txid?: string | null } = {},
): Outcome {
  return {
    kind: 'reject',
    user,
    reason,
    message: extra.message ?? REASONS[reason].radius ?? GENERIC_REJECT,
    factor: extra.factor ?? null,
    txid: extra.txid ?? null,
  };
}

/** The outcome of a finished transaction: allow accepts; a refusal says its reason's Reply-Message. */
export function fromFinalTransaction(user: User, tx: AuthTransaction): Outcome {
  // A final transaction always has a reason; the stand-in only keeps the type honest.
  const reason = tx.reason ?? 'unknown_reason';
  if (tx.state === 'allow') return { kind: 'accept', user, reason, factor: tx.factor, txid: tx.id };
  return rejected(user, reason, { factor: tx.factor, txid: tx.id });
}
