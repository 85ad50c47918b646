// Web Push for this device, when the browser has a push service: subscribes with the server's VAPID key, or gives up quietly.
import type { PushSubscriptionData } from '../../src/device-protocol/messages.ts';
import { vapidKey } from './device-api.ts';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const bytes = new Uint8Array(a);
  return bytes.every((byte, i) => byte === b[i]);
}

/**
 * A push subscription for `serverUrl`, or null: no push service (headless browsers, some platforms), no
 * permission, no VAPID key on the server, or this browser already subscribed with another server's key
 * (a service worker holds one subscription). Requests are still fetched whenever the app opens.
 */
export async function subscribeForPush(serverUrl: string): Promise<PushSubscriptionData | null> {
  try {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) return null;
    const key = await withTimeout(vapidKey(serverUrl), 5000);
    if (!key) return null;
    const applicationServerKey = base64UrlBytes(key);
    const registration = await withTimeout(navigator.serviceWorker.ready, 5000);
    const existing = await registration.pushManager.getSubscription();
    if (existing && !sameKey(existing.options.applicationServerKey, applicationServerKey)) return null;
    const subscription =
      existing ??
      (await withTimeout(
        registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey }),
        15_000,
      ));
    const json = subscription.toJSON();
    const p256dh = json.keys?.p256dh;
    const auth = json.keys?.auth;
    if (!json.endpoint || !p256dh || !auth) return null;
    return { endpoint: json.endpoint, keys: { p256dh, auth } };
  } catch {
    return null;
  }
}
