// What a sign-in call says, and what its one keypress means: 1 approves, 9 denies and reports fraud.
import type { CallScript, KeypressOutcome } from './provider.ts';

/** The digit that approves the sign-in. */
export const APPROVE_DIGIT = '1';
/** The digit that denies it and reports fraud (the same path as a push's "report fraud"). */
export const FRAUD_DIGIT = '9';

/** How long the call waits for the keypress after the prompt ends, in seconds. */
export const GATHER_TIMEOUT_SECONDS = 10;

/** The prompt read to the person: the organization, the application, and the two choices. */
export function callPrompt(script: CallScript): string {
  return [
    `This is ${script.organization}.`,
    `Someone is signing in to ${script.application} with your account.`,
    `If it is you, press ${APPROVE_DIGIT}.`,
    `If it is not you, press ${FRAUD_DIGIT} to deny it and report it.`,
  ].join(' ');
}

/** What the call says last: the keypress's outcome, no keypress, or a sign-in that had already ended. */
export type CallReply = KeypressOutcome | 'none' | 'ended';

/** What the call says after the keypress (or when none came), before hanging up. */
export const CALL_REPLIES: Readonly<Record<CallReply, string>> = {
  approve: 'Thank you. The sign-in is approved. Goodbye.',
  fraud: 'The sign-in was denied and reported to your administrators. Goodbye.',
  other: `That was not ${APPROVE_DIGIT} or ${FRAUD_DIGIT}. The sign-in was not approved. Goodbye.`,
  none: 'No key was pressed. The sign-in was not approved. Goodbye.',
  ended: 'This sign-in request has already ended. Nothing was approved. Goodbye.',
};

/** What a keypress means; anything but the two digits approves nothing. */
export function keypressOutcome(digit: string): KeypressOutcome {
  if (digit === APPROVE_DIGIT) return 'approve';
  if (digit === FRAUD_DIGIT) return 'fraud';
  return 'other';
}
