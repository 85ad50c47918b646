// A sign-in call: placed after the login moved to waiting, answered by one keypress (1 approves, 9 reports fraud).
import { CountersignError, isCountersignError } from '../../core/errors.ts';
import type { AuthTransaction } from '../../core/model.ts';
import type { Repositories } from '../../core/repositories.ts';
import { keypressOutcome } from '../../telephony/call-script.ts';
import type { Attempt, Challenge, DeliveryDeps, DeliveryRefusal, Verdict } from '../method.ts';
import { phoneNumberOf, pickPhone } from './phone-device.ts';

/**
 * How long a call's login waits for the keypress: the phone rings up to 30 s, the prompt takes about 15 s, the
 * keypress is gathered for 10 s; the rest is room for a slow network.
 */
export const CALL_ANSWER_MS = 90_000;

/** What a front asks of a call. */
export interface CallOptions {
  /** A phone authenticator's id, or 'auto' for the user's first phone. */
  device: string;
}

/** What came back from the call: its keypress, or its end without one. The call's id is its login's id. */
export type CallAnswer =
  | { callId: string; event: 'keypress'; digit: string }
  | { callId: string; event: 'ended' };

interface CallData {
  to: string;
  application: string;
}

function callOf(tx: AuthTransaction): CallData | null {
  const call = tx.data.call as CallData | undefined;
  return call && typeof call.to === 'string' ? call : null;
}

/** Picks the phone and keeps the number and application for the call placed once the login waits. */
export async function callChallenge(
  { repos, deps, user, app }: Attempt,
  options: CallOptions,
): Promise<Challenge<null>> {
  const phone = pickPhone(await repos.authenticators.listForUser(user.id), options.device);
  if (!phone) throw new CountersignError('NO_CAPABLE_DEVICE');
  const call: CallData = { to: phoneNumberOf(phone)!, application: app.name };
  return {
    data: { call },
    shown: null,
    sent: {
      authenticatorId: phone.id,
      expiresAt: deps.clock.now() + CALL_ANSWER_MS,
      automatic: false,
      reason: 'calling',
    },
  };
}

/** Refuses an answer for a login that placed no call (the id is signed by the provider's callback). */
export async function authenticateCallAnswer(
  _repos: Repositories,
  tx: AuthTransaction,
  answer: CallAnswer,
): Promise<void> {
  if (answer.callId !== tx.id || callOf(tx) === null)
    throw new CountersignError('TRANSACTION_NOT_FOUND', answer.callId);
}

/** The keypress decides as a push answer would: 1 approves, 9 reports fraud, anything else denies. */
export async function judgeCallAnswer({ tx }: Attempt, answer: CallAnswer): Promise<Verdict> {
  if (answer.event === 'ended') return { result: 'deny', reason: 'call_unanswered', counted: false };
  switch (keypressOutcome(answer.digit)) {
    case 'approve':
      return { result: 'allow', authenticatorId: tx.deviceId, reason: 'user_approved' };
    case 'fraud':
      return { result: 'fraud', reason: 'fraud_reported' };
    default:
      return { result: 'deny', reason: 'denied', counted: false };
  }
}

/** Places the call of a login that now waits for it; a refused or failed call ends the login with its reason. */
export async function placeSignInCall(
  deps: DeliveryDeps,
  tx: AuthTransaction,
): Promise<DeliveryRefusal | undefined> {
  const call = callOf(tx);
  if (tx.state !== 'pushed' || call === null) return undefined;
  try {
    await deps.telephony.placeCall({
      id: tx.id,
      userId: tx.userId,
      to: call.to,
      context: 'authentication',
      script: { organization: deps.telephony.organization, application: call.application },
    });
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    const limited = error.code === 'TELEPHONY_LIMITED' || error.code === 'TELEPHONY_BUDGET_EXCEEDED';
    return { refused: limited ? 'telephony_limited' : 'telephony_failed' };
  }
  return undefined;
}
