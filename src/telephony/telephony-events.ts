// What a provider's callback means for a login: a keypress answers its sign-in call, a call's end without one
// denies it; the call then says what happened.
import type { CoreDeps } from '../core/deps.ts';
import { isCountersignError } from '../core/errors.ts';
import { answerFactor } from '../core/transaction/index.ts';
import type { CallReply } from './call-script.ts';
import type { TelephonyEvent } from './provider.ts';

/** The logger a handler reports to. */
export interface EventLog {
  info(details: Record<string, unknown>, message: string): void;
}

/**
 * Hands a verified provider event to the login it belongs to (a sign-in call's id is its login's id). Returns
 * what the call should say after a keypress: its outcome, or 'ended' when the login was no longer waiting.
 */
export async function handleTelephonyEvent(
  deps: CoreDeps,
  event: TelephonyEvent,
  log: EventLog,
): Promise<CallReply | undefined> {
  if (event.type === 'sms-status') {
    log.info({ id: event.messageId, status: event.status }, 'text message status');
    return undefined;
  }
  const answer =
    event.type === 'keypress'
      ? ({ callId: event.callId, event: 'keypress', digit: event.digit } as const)
      : ({ callId: event.callId, event: 'ended' } as const);
  try {
    const tx = await answerFactor(deps, event.callId, 'phone', answer);
    log.info({ txid: tx.id, state: tx.state, event: event.type }, 'sign-in call answered');
    if (event.type !== 'keypress') return undefined;
    return tx.state === 'timeout' ? 'ended' : event.outcome;
  } catch (error) {
    // A keypress after the login ended (answered elsewhere, timed out), or for a call that is no sign-in's.
    if (!isCountersignError(error, 'TRANSACTION_FINISHED', 'TRANSACTION_NOT_FOUND')) throw error;
    return event.type === 'keypress' ? 'ended' : undefined;
  }
}
