// The transaction module's public face: every step a front may take on a login. Nothing outside imports deeper.
export { allowRemembered } from './allow-remembered.ts';
export { ANSWER_SKEW_MS, answerPush } from './answer-push.ts';
export { authenticateWithPasscode } from './authenticate-with-passcode.ts';
export { type BeginInput, beginTransaction, FACTOR_WAIT_MS } from './begin-transaction.ts';
export { endTransaction } from './end-transaction.ts';
export { loadTransaction } from './load-transaction.ts';
export { type PushAndAwaitOptions, pushAndAwait } from './push-and-await.ts';
export { settleExpired } from './settle-expired.ts';
export { type PushOptions, pendingRequest, startPush, verificationCode } from './start-push.ts';
export { canTransition, isFinal, TRANSITIONS } from './states.ts';
export { submitPasscode } from './submit-passcode.ts';
export { submitWebauthn, webauthnOptionsForTransaction } from './submit-webauthn.ts';
export { waitForChange } from './wait-for-change.ts';
