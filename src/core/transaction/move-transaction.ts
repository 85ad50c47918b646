// Moves a transaction to its next state: checked against the state table, compare-and-set, then announced.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction, TransactionState, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import type { ReasonFor } from './reasons.ts';
import { canTransition, isFinal } from './states.ts';

interface MoveFields {
  factor?: string | null;
  deviceId?: string | null;
  expiresAt?: number;
  data?: Record<string, unknown>;
}

/** A step to state `to`, with a reason that belongs to that state (reasons.ts): a mismatch is a compile error. */
export type Move = {
  [S in TransactionState]: MoveFields & { to: S; reason: ReasonFor<S> };
}[TransactionState];

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
  const patch = {
    state: move.to,
    reason: move.reason,
    ...(move.factor !== undefined && { factor: move.factor }),
    ...(move.deviceId !== undefined && { deviceId: move.deviceId }),
    ...(move.expiresAt !== undefined && { expiresAt: move.expiresAt }),
    ...(move.data !== undefined && { data: move.data }),
  };
  const updated =
    options.stored === false
      ? await insertMoved(repos, tx, patch, now)
      : await repos.transactions.update(tx.id, tx.version, patch, now);
  if (!updated) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} changed meanwhile`);
  if (isFinal(updated.state)) await auditOutcome(repos, now, updated, user);
  return updated;
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

/** Tells every node that a transaction changed (after the database transaction committed). */
export async function announce(deps: Pick<CoreDeps, 'bus'>, tx: AuthTransaction): Promise<void> {
  await deps.bus.publish({ topic: transactionTopic(tx.id), version: tx.version });
}
