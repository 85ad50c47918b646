// The authentication transaction's states and the only transitions allowed between them (see STATES.md).
import type { TransactionState } from '../model.ts';

/** From each state, the states it may move to. Final states move nowhere. */
export const TRANSITIONS: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  awaiting_factor: ['pushed', 'allow', 'deny', 'fraud', 'timeout', 'locked_out'],
  pushed: ['allow', 'deny', 'fraud', 'timeout', 'locked_out'],
  allow: [],
  deny: [],
  fraud: [],
  timeout: [],
  locked_out: [],
};

/** True when no further step can change the transaction. */
export function isFinal(state: TransactionState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** The states in which a transaction still waits for the user: every state that is not final. */
export const OPEN_STATES: readonly TransactionState[] = (
  Object.keys(TRANSITIONS) as TransactionState[]
).filter((state) => !isFinal(state));

/** True when the state machine allows `from` → `to`. */
export function canTransition(from: TransactionState, to: TransactionState): boolean {
  return TRANSITIONS[from].includes(to);
}
