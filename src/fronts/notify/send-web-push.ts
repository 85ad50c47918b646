// One Web Push message (RFC 8030) encrypted with aes128gcm (RFC 8291) and signed with VAPID (RFC 8292).
import type { PushSubscriptionData } from '../../device-protocol/messages.ts';
import type { VapidKeys } from './vapid-keys.ts';

export interface WebPushMessage {
  subscription: PushSubscriptionData;
  /** The plaintext the device's service worker receives. */
  payload: string;
  /** RFC 8030 §5.2: seconds the push service keeps the message for an offline device. */
  ttlSeconds: number;
  /** RFC 8030 §5.3 */
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  vapid: VapidKeys;
  vapidSubject: string;
  timeoutMs: number;
}

/** What the push service answered (any status: the caller decides what a 404 or 410 means). */
export interface WebPushOutcome {
  status: number;
  body: string;
}

/** Builds the request with `web-push` and sends it with fetch (which, unlike web-push, also speaks plain HTTP). */
export async function sendWebPush(
  message: WebPushMessage,
  fetchFn: typeof fetch = fetch,
): Promise<WebPushOutcome> {
  // Loaded at the first push: a server whose devices never subscribe to Web Push does not carry it (issue 14).
  const { default: webPush } = await import('web-push');
  const details = webPush.generateRequestDetails(message.subscription, message.payload, {
    TTL: message.ttlSeconds,
    urgency: message.urgency,
    contentEncoding: 'aes128gcm',
    vapidDetails: {
      subject: message.vapidSubject,
      publicKey: message.vapid.publicKey,
      privateKey: message.vapid.privateKey,
    },
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) {
    // fetch computes Content-Length from the body itself.
    if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
  }
  const response = await fetchFn(details.endpoint, {
    method: 'POST',
    headers,
    body: new Uint8Array(details.body),
    // A push service never redirects; following one would let a subscription aim the server elsewhere.
    redirect: 'error',
    signal: AbortSignal.timeout(message.timeoutMs),
  });
  return { status: response.status, body: (await response.text()).slice(0, 500) };
}
