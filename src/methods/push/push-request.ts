// The push request a transaction carries: what the device is shown, and the verified-push number it must return.

import { CountersignError } from '../../core/errors.ts';
import { newDigits } from '../../core/ids.ts';
import { locationText } from '../../core/locate.ts';
import type { Authenticator, AuthTransaction } from '../../core/model.ts';
import type { PendingRequest } from '../../device-protocol/messages.ts';
import type { Attempt, Challenge } from '../method.ts';

/** What a front asks of a push. */
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

/** The verified-push number to show on the login screen, or null. */
export function verificationCode(tx: AuthTransaction): string | null {
  const push = tx.data.push as { code?: string | null } | undefined;
  return push?.code ?? null;
}

function pickDevice(devices: Authenticator[], wanted: string): Authenticator | null {
  const push = devices.filter((device) => device.kind === 'push');
  if (wanted === 'auto' || wanted === '') return push[0] ?? null;
  return push.find((device) => device.id === wanted) ?? null;
}

/** Picks the device and builds the request (with a verified-push number when the front can show it). */
export async function pushChallenge(
  { repos, deps, tx, user, app, policy }: Attempt,
  options: PushOptions,
): Promise<Challenge<null>> {
  const device = pickDevice(await repos.authenticators.listForUser(user.id), options.device);
  if (!device) throw new CountersignError('NO_CAPABLE_DEVICE');
  const verification =
    policy.verifiedPush && options.canShowCode ? { digits: policy.verifiedPushDigits } : null;
  const push = {
    application: app.name,
    username: options.displayUsername ?? user.username,
    realName: user.realName,
    type: options.type ?? 'Login',
    ip: tx.ip,
    location: locationText((await deps.locator?.locate(tx.ip)) ?? null),
    details: options.details ?? [],
    verification,
    code: verification ? newDigits(deps.random, verification.digits) : null,
  };
  return {
    data: { push },
    shown: null,
    sent: {
      authenticatorId: device.id,
      expiresAt: deps.clock.now() + policy.pushTimeoutSeconds * 1000,
      automatic: options.automatic,
    },
  };
}
