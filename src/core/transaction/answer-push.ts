// Applies a device's signed answer to a push: the signature, the request, the time and the number must all match.

import type { AnswerRequest, PublicJwk } from '../../device-protocol/messages.ts';
import { answerSigningString } from '../../device-protocol/signing.ts';
import { verifyDeviceSignature } from '../../methods/push/device-key.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { deviceTopic } from '../enrollment/activate-device.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction } from '../model.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import { verificationCode } from './start-push.ts';

/** How far a device's signing time may be from the server's. */
export const ANSWER_SKEW_MS = 5 * 60_000;

const DECISIONS = ['approve', 'deny', 'fraud'];

/** Verifies and applies an answer from `deviceId`; a forged, replayed, late or misdirected one is refused. */
export async function answerPush(
  deps: CoreDeps,
  deviceId: string,
  txid: string,
  answer: AnswerRequest,
): Promise<AuthTransaction> {
  if (!DECISIONS.includes(answer.decision) || typeof answer.code !== 'string' || answer.code.length > 16) {
    throw new CountersignError(
      'INVALID_INPUT',
      'decision must be approve, deny or fraud, with a code string',
    );
  }
  const result = await deps.store.atomically(async (repos) => {
    const [tx, device] = await Promise.all([
      repos.transactions.get(txid),
      repos.authenticators.get(deviceId),
    ]);
    // A request for another device is as unknown as one that never existed.
    if (!tx || !device || tx.deviceId !== deviceId || device.kind !== 'push') {
      throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
    }
    const publicKey = device.data.publicKey as PublicJwk;
    const signed = answerSigningString(txid, answer.decision, answer.code, answer.signedAt);
    if (
      !Number.isSafeInteger(answer.signedAt) ||
      !verifyDeviceSignature(publicKey, signed, answer.signature)
    ) {
      throw new CountersignError('ANSWER_REJECTED', 'bad signature');
    }
    const now = deps.clock.now();
    if (Math.abs(now - answer.signedAt) > ANSWER_SKEW_MS)
      throw new CountersignError('ANSWER_REJECTED', 'stale signature');
    if (tx.state !== 'pushed') throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
    const user = await repos.users.get(tx.userId);
    if (!user) throw new CountersignError('TRANSACTION_NOT_FOUND', txid);
    if (now >= tx.expiresAt) {
      const timedOut = await moveTransaction(repos, deps, tx, user, { to: 'timeout', reason: 'timeout' });
      return { tx: timedOut, late: true };
    }
    if (answer.decision === 'fraud') {
      const fraud = await moveTransaction(repos, deps, tx, user, { to: 'fraud', reason: 'fraud_reported' });
      await audit(repos, now, {
        kind: 'fraud',
        action: 'push.fraud',
        userId: user.id,
        username: user.username,
        applicationId: tx.applicationId,
        factor: 'push',
        result: 'fraud',
        ip: tx.ip,
        detail: { txid, deviceId },
      });
      return { tx: fraud, late: false };
    }
    if (answer.decision === 'deny') {
      return {
        tx: await moveTransaction(repos, deps, tx, user, { to: 'deny', reason: 'denied' }),
        late: false,
      };
    }
    const expected = verificationCode(tx);
    if (expected !== null && answer.code !== expected) {
      const wrong = await moveTransaction(repos, deps, tx, user, { to: 'deny', reason: 'wrong_code' });
      return { tx: wrong, late: false };
    }
    await repos.users.recordSuccess(user.id, now);
    return {
      tx: await moveTransaction(repos, deps, tx, user, {
        to: 'allow',
        proof: { factor: 'push', authenticatorId: deviceId, reason: 'user_approved' },
      }),
      late: false,
    };
  });
  await announce(deps, result.tx);
  await deps.bus.publish({
    topic: deviceTopic(deviceId),
    payload: { type: 'resolved', txid, state: result.tx.state },
  });
  if (result.tx.state === 'fraud') {
    const [user, app] = await Promise.all([
      deps.store.users.get(result.tx.userId),
      deps.store.applications.get(result.tx.applicationId),
    ]);
    if (user) await deps.notify.fraudReported({ user, app, tx: result.tx }).catch(() => {});
  }
  if (result.late) throw new CountersignError('TRANSACTION_FINISHED', `${txid} timed out before the answer`);
  return result.tx;
}
