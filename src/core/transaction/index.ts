// The transaction module's public face: every step a front may take on a login. Nothing outside imports deeper.
export { allowRemembered } from './allow-remembered.ts';
export { answerFactor } from './answer-factor.ts';
export { authenticateAndRemember, authenticateWithPasscode } from './authenticate-with-passcode.ts';
export { beginRemembered } from './begin-remembered.ts';
export { type BeginInput, beginTransaction } from './begin-transaction.ts';
export { endTransaction } from './end-transaction.ts';
export { loadTransaction } from './load-transaction.ts';
export {
  type AwaitOptions,
  type PushAndAwaitOptions,
  pushAndAwait,
  startAndAwait,
} from './push-and-await.ts';
export {
  isReason,
  parseReason,
  REASONS,
  type Reason,
  type ReasonFor,
  type ReasonInfo,
  reasonWords,
} from './reasons.ts';
export { type Remembered, rememberAllowed } from './remember-allowed.ts';
export { settleExpired } from './settle-expired.ts';
export { startFactor } from './start-factor.ts';
export { canTransition, isFinal, OPEN_STATES, TRANSITIONS } from './states.ts';
export { submitPasscode } from './submit-passcode.ts';
export { type TextPasscodesOptions, textPasscodes } from './text-passcodes.ts';
export { waitForChange, watchTransaction } from './wait-for-change.ts';
