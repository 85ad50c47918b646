// Wakes a device through Web Push: payload without the verified-push number, TTL until expiry, dead subscriptions dropped.
import type { Clock } from '../../core/clock.ts';
import type { Authenticator } from '../../core/model.ts';
import type { Store } from '../../core/repositories.ts';
import type { PendingRequest, PushSubscriptionData } from '../../device-protocol/messages.ts';
import { refuseEndpoint } from './endpoint-policy.ts';
import type { NotifyLog } from './options.ts';
import { sendWebPush, type WebPushMessage } from './send-web-push.ts';
import type { VapidKeys } from './vapid-keys.ts';

/** What the service worker receives: enough to show "Login request for <app>", never the code to type. */
export interface DevicePushPayload {
  type: 'request';
  txid: string;
  application: string;
  username: string;
}

export interface DevicePushContext {
  store: Pick<Store, 'authenticators'>;
  clock: Clock;
  log: NotifyLog;
  vapidKeys(): Promise<VapidKeys>;
  vapidSubject: string;
  allowHttpEndpoints: boolean;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** What happened to one push, for logs and tests. */
export type DevicePushResult =
  | 'sent'
  | 'no-subscription'
  | 'expired'
  | 'refused-endpoint'
  | 'subscription-gone'
  | 'failed';

/** The payload for `request` (built field by field, so nothing secret can ride along). */
export function devicePushPayload(request: PendingRequest): DevicePushPayload {
  return {
    type: 'request',
    txid: request.txid,
    application: request.application,
    username: request.username,
  };
}

function subscriptionOf(device: Authenticator): PushSubscriptionData | null {
  const sub = device.data.pushSubscription as PushSubscriptionData | null | undefined;
  return sub && typeof sub.endpoint === 'string' && sub.keys ? sub : null;
}

/** RFC 8030 §5.1: 404 and 410 mean the subscription is gone for good; forget it unless it changed meanwhile. */
async function dropSubscription(ctx: DevicePushContext, deviceId: string, endpoint: string): Promise<void> {
  const current = await ctx.store.authenticators.get(deviceId);
  if (!current || subscriptionOf(current)?.endpoint !== endpoint) return;
  await ctx.store.authenticators.updateData(deviceId, { ...current.data, pushSubscription: null });
}

/** Sends one push to `device`; never throws (a failed wake-up must not fail the login). */
export async function pushToDevice(
  ctx: DevicePushContext,
  device: Authenticator,
  request: PendingRequest,
): Promise<DevicePushResult> {
  const subscription = subscriptionOf(device);
  if (!subscription) return 'no-subscription';
  const where = { deviceId: device.id, txid: request.txid };
  const refusal = refuseEndpoint(subscription.endpoint, ctx.allowHttpEndpoints);
  if (refusal) {
    ctx.log.warn({ ...where, endpoint: subscription.endpoint }, `web push not sent: ${refusal}`);
    return 'refused-endpoint';
  }
  const ttlSeconds = Math.ceil((request.expiresAt - ctx.clock.now()) / 1000);
  if (ttlSeconds <= 0) return 'expired';
  try {
    const message: WebPushMessage = {
      subscription,
      payload: JSON.stringify(devicePushPayload(request)),
      ttlSeconds,
      urgency: 'high',
      vapid: await ctx.vapidKeys(),
      vapidSubject: ctx.vapidSubject,
      timeoutMs: ctx.timeoutMs,
    };
    const outcome = await sendWebPush(message, ctx.fetch);
    if (outcome.status >= 200 && outcome.status < 300) return 'sent';
    if (outcome.status === 404 || outcome.status === 410) {
      await dropSubscription(ctx, device.id, subscription.endpoint);
      ctx.log.info({ ...where, status: outcome.status }, 'web push subscription expired: removed');
      return 'subscription-gone';
    }
    ctx.log.warn(
      { ...where, status: outcome.status, body: outcome.body },
      'push service refused the message',
    );
    return 'failed';
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ctx.log.warn({ ...where, error: reason }, 'web push failed');
    return 'failed';
  }
}
