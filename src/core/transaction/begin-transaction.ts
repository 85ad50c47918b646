// Starts an authentication transaction: policy decides at once, or the transaction waits for a factor.
import type { CoreDeps } from '../deps.ts';
import { type AccessDecision, evaluateAccess } from '../evaluate-access.ts';
import { admitStart, startRefused } from '../limits/start-limits.ts';
import type { Application, AuthTransaction, TransactionState, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { announce, auditOutcome } from './move-transaction.ts';
import type { Reason } from './reasons.ts';
import { isFinal } from './states.ts';

/** How long a transaction waits for a typed code before it times out. */
export const FACTOR_WAIT_MS = 5 * 60_000;

export interface BeginInput {
  app: Application;
  user: User;
  ip: string | null;
  factor: string | null;
  data?: Record<string, unknown>;
}

function initialState(decision: AccessDecision): { state: TransactionState; reason: Reason | null } {
  switch (decision.result) {
    case 'auth':
      return { state: 'awaiting_factor', reason: null };
    case 'allow':
      return { state: 'allow', reason: decision.reason };
    case 'enroll':
      return { state: 'deny', reason: decision.reason };
    case 'deny':
      return { state: decision.reason === 'locked_out' ? 'locked_out' : 'deny', reason: decision.reason };
  }
}

/**
 * Creates the transaction inside an open database transaction (see beginTransaction). With
 * `options.storeOpen: false` a transaction left waiting for a factor is returned unwritten: the caller decides
 * it in the same database transaction and writes it once (moveTransaction with `stored: false`). With
 * `options.userRead: true` the caller read `input.user` inside this database transaction (users.lock).
 */
export async function createTransaction(
  repos: Repositories,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  input: BeginInput,
  options: { storeOpen?: boolean; userRead?: boolean } = {},
): Promise<{ tx: AuthTransaction; decision: AccessDecision }> {
  const now = deps.clock.now();
  // Read before this database transaction, the user may have been locked out by parallel attempts since.
  const user = options.userRead ? input.user : ((await repos.users.get(input.user.id)) ?? input.user);
  const decision = await evaluateAccess(repos, input.app, user, now);
  const { state, reason } = initialState(decision);
  const tx: AuthTransaction = {
    id: deps.random.uuid(),
    applicationId: input.app.id,
    userId: input.user.id,
    state,
    factor: input.factor,
    deviceId: null,
    reason,
    ip: input.ip,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + FACTOR_WAIT_MS,
    version: 1,
    data: input.data ?? {},
  };
  const final = isFinal(state);
  if (final || options.storeOpen !== false) await repos.transactions.create(tx);
  if (final) await auditOutcome(repos, now, tx, decision.user);
  return { tx, decision: decision };
}

/**
 * Creates the transaction for one login attempt; returns it with the access decision behind it. Too many starts
 * for the user or from the address: RATE_LIMITED, and no transaction.
 */
export async function beginTransaction(
  deps: CoreDeps,
  input: BeginInput,
): Promise<{ tx: AuthTransaction; decision: AccessDecision }> {
  const result = await deps.store.atomically(
    async (repos) =>
      (await admitStart(repos, deps, { userId: input.user.id, ip: input.ip })) ??
      createTransaction(repos, deps, input),
  );
  // Returned, not thrown, inside: the refusal's count must commit.
  if ('limit' in result) throw startRefused(result);
  await announce(deps, result.tx);
  return result;
}
