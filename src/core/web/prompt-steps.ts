// The prompt flow's transaction steps: begin (or begin again after a retryable failure), honouring "remember me".

import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Application, AuthTransaction, User } from '../model.ts';
import { allowRemembered, beginTransaction, isFinal, REASONS, settleExpired } from '../transaction/index.ts';
import { type LoadedFlow, saveFlow } from './prompt-flow.ts';

/**
 * True when `tx` ended in a way the user can retry with a new transaction in the same flow (a wrong code, a denied,
 * refused or unanswered push): its reason is `retryable` in the reasons table.
 */
export function isRetryable(tx: AuthTransaction): boolean {
  return (
    tx.state === 'timeout' || (tx.state === 'deny' && tx.reason !== null && REASONS[tx.reason].retryable)
  );
}

/** The flow's user and application, re-read (status and policy change behind a flow's back). */
export async function flowSubjects(
  deps: CoreDeps,
  loaded: LoadedFlow,
): Promise<{ user: User; app: Application }> {
  const [user, app] = await Promise.all([
    deps.store.users.get(loaded.flow.userId),
    deps.store.applications.get(loaded.flow.appId),
  ]);
  if (!user || !app)
    throw new CountersignError('TRANSACTION_NOT_FOUND', 'the flow lost its user or application');
  return { user, app };
}

/** The flow's current transaction (expired ones settled), or null before the first one. */
export async function flowTransaction(deps: CoreDeps, loaded: LoadedFlow): Promise<AuthTransaction | null> {
  if (loaded.flow.txid === null) return null;
  const tx = await deps.store.transactions.get(loaded.flow.txid);
  return tx ? settleExpired(deps, tx) : null;
}

/**
 * Returns a transaction the user can act on: the current one while it is open or finally decided, a new one when
 * there is none yet or the last one ended in a retryable failure. A new transaction of a remembered browser
 * (`rememberToken`) is allowed at once by the core's `allowRemembered`, unless the flow wants a fresh factor.
 */
export async function ensureTransaction(
  deps: CoreDeps,
  loaded: LoadedFlow,
  rememberToken: string | undefined,
): Promise<{ loaded: LoadedFlow; tx: AuthTransaction }> {
  if (loaded.flow.needsPassword && !loaded.flow.passwordDone) {
    throw new CountersignError('INVALID_INPUT', 'the password step comes first');
  }
  const current = await flowTransaction(deps, loaded);
  if (current && !(isFinal(current.state) && isRetryable(current))) return { loaded, tx: current };
  const { user, app } = await flowSubjects(deps, loaded);
  const { tx } = await beginTransaction(deps, { app, user, ip: loaded.flow.ip, factor: null });
  // A flow that demands a fresh factor never takes a remembered browser's word for it.
  const token = loaded.flow.freshFactor ? undefined : rememberToken;
  const remembered = tx.state === 'awaiting_factor' ? await allowRemembered(deps, tx.id, token) : null;
  const saved = await saveFlow(deps, loaded, { ...loaded.flow, txid: tx.id });
  return { loaded: saved, tx: remembered ?? tx };
}
