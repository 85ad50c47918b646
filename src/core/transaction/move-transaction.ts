// Moves a transaction to its next state: checked against the state table, compare-and-set, then announced.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AccessDecision } from '../evaluate-access.ts';
import type { AuthTransaction, MethodId, TransactionState, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import type { ReasonFor } from './reasons.ts';
import { canTransition, isFinal } from './states.ts';

interface MoveFields {
  factor?: string | null;
  deviceId?: string | null;
  expiresAt?: number;
  data?: Record<string, unknown>;
}

/** A policy reason that allows a login without a factor now: the access decision's, or a remembered browser. */
export type PolicyAllowReason = Extract<AccessDecision, { result: 'allow' }>['reason'] | 'remembered';

/** A factor the user completed: which one, the authenticator that proved it (null: a bypass code, no device). */
export interface FactorProof {
  factor: 'passcode' | MethodId;
  authenticatorId: string | null;
  reason: ReasonFor<'allow'>;
}

/** A named policy reason that needs no factor now (a bypass user, a remembered browser, ...). */
export interface PolicyProof {
  policy: PolicyAllowReason;
}

/** What an allow must carry: the factor that proved it, or the named policy reason that needs none. */
export type AllowProof = FactorProof | PolicyProof;

type Other = Exclude<TransactionState, 'allow'>;

/** Every move but to `allow`, with a reason that belongs to its state (reasons.ts): a mismatch does not compile. */
export type PlainMove = { [S in Other]: MoveFields & { to: S; reason: ReasonFor<S> } }[Other];

/**
 * A move to `allow` carries its proof, so no caller can allow without one: the factor's proof sets the row's
 * factor, device and reason; a policy proof sets the reason (and `factor` says what was in use, e.g. `remembered`).
 */
export type AllowMove =
  | { to: 'allow'; proof: FactorProof; data?: Record<string, unknown> }
  | {
      to: 'allow';
      proof: PolicyProof;
      factor?: string | null;
      data?: Record<string, unknown>;
    };

/** A step to state `to`: a reason that belongs to that state (reasons.ts), or for `allow` its proof. */
export type Move = PlainMove | AllowMove;

export interface MoveOptions {
  /**
   * False when `tx` was built in this database transaction but not written yet (a one-shot passcode login):
   * the moved row is then inserted once, exactly as create-then-update would have left it. Default true.
   */
  stored?: boolean;
}

/** The bus topic that announces changes to one transaction. */
export function transactionTopic(id: string): string {
  return `tx:${id}`;
}

/**
 * Applies `move` inside `repos` (call it inside `store.atomically`): a transaction moved by someone else
 * meanwhile is a TRANSACTION_FINISHED error, so two nodes can never both decide it. Final states are audited.
 */
export async function moveTransaction(
  repos: Repositories,
  deps: Pick<CoreDeps, 'clock'>,
  tx: AuthTransaction,
  user: Pick<User, 'id' | 'username'>,
  move: Move,
  options: MoveOptions = {},
): Promise<AuthTransaction> {
  if (!canTransition(tx.state, move.to)) {
    throw new CountersignError('TRANSACTION_FINISHED', `cannot move ${tx.id} from ${tx.state} to ${move.to}`);
  }
  const now = deps.clock.now();
  const patch = { ...patchOf(move), ...(move.data !== undefined && { data: move.data }) };
  const updated =
    options.stored === false
      ? await insertMoved(repos, tx, patch, now)
      : await repos.transactions.update(tx.id, tx.version, patch, now);
  if (!updated) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} changed meanwhile`);
  if (isFinal(updated.state)) await auditOutcome(repos, now, updated, user);
  return updated;
}

/** The row fields a move sets: an allow's come from its proof. */
function patchOf(move: Move): Partial<AuthTransaction> {
  if (move.to !== 'allow') {
    return {
      state: move.to,
      reason: move.reason,
      ...(move.factor !== undefined && { factor: move.factor }),
      ...(move.deviceId !== undefined && { deviceId: move.deviceId }),
      ...(move.expiresAt !== undefined && { expiresAt: move.expiresAt }),
    };
  }
  const { proof } = move;
  if ('policy' in proof) {
    return {
      state: 'allow',
      reason: proof.policy,
      ...('factor' in move && move.factor !== undefined && { factor: move.factor }),
    };
  }
  return { state: 'allow', reason: proof.reason, factor: proof.factor, deviceId: proof.authenticatorId };
}

/** Writes a not-yet-stored transaction in its moved state: the row an update would have produced. */
async function insertMoved(
  repos: Repositories,
  tx: AuthTransaction,
  patch: Partial<AuthTransaction>,
  now: number,
): Promise<AuthTransaction> {
  // Same fields as TransactionRepository.update: the patch, one version up, updated now. No one else can see
  // the row before it is written, so there is nothing to compare-and-set against.
  const moved: AuthTransaction = { ...tx, ...patch, version: tx.version + 1, updatedAt: now };
  await repos.transactions.create(moved);
  return moved;
}

/** Records one finished authentication in the audit log. */
export async function auditOutcome(
  repos: Repositories,
  now: number,
  tx: AuthTransaction,
  user: Pick<User, 'id' | 'username'>,
): Promise<void> {
  await audit(repos, now, {
    kind: 'auth',
    action: 'authentication',
    userId: user.id,
    username: user.username,
    applicationId: tx.applicationId,
    factor: tx.factor,
    result: tx.state === 'allow' ? 'success' : tx.state,
    reason: tx.reason,
    ip: tx.ip,
    // `method` tells a passcode's kind (bypass, hotp, totp) to the Admin API's authentication log.
    detail: {
      txid: tx.id,
      deviceId: tx.deviceId,
      ...(typeof tx.data.method === 'string' && { method: tx.data.method }),
    },
  });
}

/**
 * Tells every node that a transaction changed; call it after the database transaction committed, with the row as
 * committed (waiters on this node take it from the message instead of reading it back).
 */
export async function announce(deps: Pick<CoreDeps, 'bus'>, tx: AuthTransaction): Promise<void> {
  await deps.bus.publish({ topic: transactionTopic(tx.id), version: tx.version, committed: tx });
}
