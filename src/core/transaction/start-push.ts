// Sends a push: picks the device, applies push-fatigue limits, moves the transaction to `pushed`, wakes the device.
import type { PendingRequest } from '../../device-protocol/messages.ts';
import type { CoreDeps } from '../deps.ts';
import { deviceTopic } from '../enrollment/activate-device.ts';
import { CountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import { newDigits } from '../ids.ts';
import type { Authenticator, AuthTransaction } from '../model.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import { checkPushLimits } from './push-limits.ts';

export interface PushOptions {
  /** A device id, or 'auto' for the user's first push-capable device. */
  device: string;
  /** The word shown before "request" (Duo's `type`), default "Login". */
  type?: string;
  displayUsername?: string;
  details?: Array<[string, string]>;
  /** True when the user did not explicitly ask for this push (auto push, factor=auto). */
  automatic: boolean;
  /** True when the front can show a verified-push number to the user. */
  canShowCode: boolean;
}

/** The push request as the device sees it (never the verified-push number itself). */
export function pendingRequest(tx: AuthTransaction): PendingRequest | null {
  const push = tx.data.push as
    | (Omit<PendingRequest, 'txid' | 'expiresAt' | 'createdAt'> & { code?: string | null })
    | undefined;
  if (!push) return null;
  const { code: _code, ...shown } = push;
  return { ...shown, txid: tx.id, createdAt: tx.createdAt, expiresAt: tx.expiresAt };
}

function pickDevice(devices: Authenticator[], wanted: string): Authenticator | null {
  const push = devices.filter((device) => device.kind === 'push');
  if (wanted === 'auto' || wanted === '') return push[0] ?? null;
  return push.find((device) => device.id === wanted) ?? null;
}

/** Pushes a waiting transaction to the user's device; a refusal ends it as `deny` with the reason. */
export async function startPush(
  deps: CoreDeps,
  txid: string,
  options: PushOptions,
): Promise<AuthTransaction> {
  const outcome = await deps.store.atomically(async (repos) => {
    // Attempts for one user are decided one at a time (every node, both databases): see checkPushLimits.
    const { tx, user, app } = await loadTransaction(repos, txid, { lockUser: true });
    if (tx.state !== 'awaiting_factor')
      throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
    const now = deps.clock.now();
    // Push limits bound a push's life by its transaction's: one left waiting past its expiry cannot push.
    if (now >= tx.expiresAt) throw new CountersignError('TRANSACTION_FINISHED', `${txid} expired`);
    const policy = await policyFor(repos, app, user);
    if (!policy.allowedMethods.includes('push')) throw new CountersignError('FACTOR_NOT_ALLOWED', 'push');
    const device = pickDevice(await repos.authenticators.listForUser(user.id), options.device);
    if (!device) throw new CountersignError('NO_CAPABLE_DEVICE');

    const refusal = await checkPushLimits(repos, user.id, policy, now, {
      automatic: options.automatic,
      txid,
    });
    if (refusal) {
      const tx2 = await moveTransaction(repos, deps, tx, user, {
        to: 'deny',
        reason: refusal,
        factor: 'push',
      });
      return { tx: tx2, device: null };
    }
    const verification =
      policy.verifiedPush && options.canShowCode ? { digits: policy.verifiedPushDigits } : null;
    const push = {
      application: app.name,
      username: options.displayUsername ?? user.username,
      realName: user.realName,
      type: options.type ?? 'Login',
      ip: tx.ip,
      location: null,
      details: options.details ?? [],
      verification,
      code: verification ? newDigits(deps.random, verification.digits) : null,
    };
    const moved = await moveTransaction(repos, deps, tx, user, {
      to: 'pushed',
      reason: 'pushed',
      factor: 'push',
      deviceId: device.id,
      expiresAt: now + policy.pushTimeoutSeconds * 1000,
      data: { ...tx.data, push },
    });
    return { tx: moved, device };
  });
  await announce(deps, outcome.tx);
  const request = pendingRequest(outcome.tx);
  if (outcome.device && request) {
    await deps.bus.publish({ topic: deviceTopic(outcome.device.id), payload: { type: 'request', txid } });
    // Delivery problems must not fail the login: the app fetches pending requests whenever it opens.
    await deps.notify.deviceRequest(outcome.device, request).catch(() => {});
  }
  return outcome.tx;
}

/** The verified-push number to show on the login screen, or null. */
export function verificationCode(tx: AuthTransaction): string | null {
  const push = tx.data.push as { code?: string | null } | undefined;
  return push?.code ?? null;
}
