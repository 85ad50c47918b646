// A device's signed answer to a push: the signature, the request, the time and the number must all match.
import { CountersignError } from '../../core/errors.ts';
import type { AuthTransaction } from '../../core/model.ts';
import type { Repositories } from '../../core/repositories.ts';
import type { AnswerRequest, PublicJwk } from '../../device-protocol/messages.ts';
import { answerSigningString } from '../../device-protocol/signing.ts';
import type { Attempt, Verdict } from '../method.ts';
import { verifyDeviceSignature } from './device-key.ts';
import { verificationCode } from './push-request.ts';

/** How far a device's signing time may be from the server's. */
export const ANSWER_SKEW_MS = 5 * 60_000;

const DECISIONS = ['approve', 'deny', 'fraud'];

/** An answer and the (already authenticated) device that posted it. */
export interface PushAnswer extends AnswerRequest {
  deviceId: string;
}

/** Refuses a malformed, forged, stale or misdirected answer; the request for another device is as unknown as none. */
export async function authenticatePushAnswer(
  repos: Repositories,
  tx: AuthTransaction,
  answer: PushAnswer,
  now: number,
): Promise<void> {
  if (!DECISIONS.includes(answer.decision) || typeof answer.code !== 'string' || answer.code.length > 16) {
    throw new CountersignError(
      'INVALID_INPUT',
      'decision must be approve, deny or fraud, with a code string',
    );
  }
  const device = await repos.authenticators.get(answer.deviceId);
  if (!device || tx.deviceId !== answer.deviceId || device.kind !== 'push') {
    throw new CountersignError('TRANSACTION_NOT_FOUND', tx.id);
  }
  const signed = answerSigningString(tx.id, answer.decision, answer.code, answer.signedAt);
  if (
    !Number.isSafeInteger(answer.signedAt) ||
    !verifyDeviceSignature(device.data.publicKey as PublicJwk, signed, answer.signature)
  ) {
    throw new CountersignError('ANSWER_REJECTED', 'bad signature');
  }
  if (Math.abs(now - answer.signedAt) > ANSWER_SKEW_MS)
    throw new CountersignError('ANSWER_REJECTED', 'stale signature');
}

/** The user's decision: approve (with the verified-push number when one was shown), deny, or report fraud. */
export async function judgePushAnswer({ tx }: Attempt, answer: PushAnswer): Promise<Verdict> {
  if (answer.decision === 'fraud') return { result: 'fraud', reason: 'fraud_reported' };
  if (answer.decision === 'deny') return { result: 'deny', reason: 'denied', counted: false };
  const expected = verificationCode(tx);
  if (expected !== null && answer.code !== expected)
    return { result: 'deny', reason: 'wrong_code', counted: false };
  return { result: 'allow', authenticatorId: answer.deviceId, reason: 'user_approved' };
}
