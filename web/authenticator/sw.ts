// The Authenticator's service worker: keeps the app shell offline, and turns Web Push messages into notifications.
// Self-contained on purpose (no runtime imports), so the browser can load it as a classic worker script.

declare const COUNTERSIGN_PRECACHE: string[];
declare const COUNTERSIGN_VERSION: string;

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `countersign-app-${COUNTERSIGN_VERSION}`;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(COUNTERSIGN_PRECACHE))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('countersign-app-') && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the app's own files: API calls (/device/v1) always go to the network.
  if (request.method !== 'GET' || !url.href.startsWith(worker.registration.scope)) return;
  if (request.mode === 'navigate') {
    // Network first so a new release shows at once; the cached shell when offline.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match('./', { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});

interface PushPayload {
  txid: string;
  application: string;
  username: string;
  type: string;
}

/** Reads a push message: a PendingRequest, or a `{type: 'request', request}` event; null when neither. */
function readPayload(data: PushMessageData | null): PushPayload | null {
  let value: unknown;
  try {
    value = data?.json();
  } catch {
    return null;
  }
  const outer = value as { request?: unknown } | null;
  const inner = (outer && typeof outer === 'object' && 'request' in outer ? outer.request : outer) as Record<
    string,
    unknown
  > | null;
  if (!inner || typeof inner.txid !== 'string') return null;
  const text = (key: string, fallback: string) => (typeof inner[key] === 'string' ? inner[key] : fallback);
  return {
    txid: inner.txid,
    application: text('application', 'an application'),
    username: text('username', ''),
    // The notifier's own envelope says `type: 'request'`; the request's kind ("Login") is the default then.
    type: inner.type === 'request' ? 'Login' : text('type', 'Login'),
  };
}

worker.addEventListener('push', (event) => {
  const payload = readPayload(event.data);
  // Every push must show a notification (userVisibleOnly); an unreadable one still points at the app.
  const title = payload ? `${payload.type} request from ${payload.application}` : 'Countersign request';
  const options: NotificationOptions & { actions?: Array<{ action: string; title: string }> } = {
    body: payload?.username ? `For ${payload.username}. Open to answer.` : 'Open the app to answer.',
    tag: payload?.txid ?? 'countersign',
    icon: 'icon-192.png',
    requireInteraction: true,
    data: { txid: payload?.txid ?? null },
    // Both actions open the app: approval happens there (verified push needs the number typed in).
    actions: [
      { action: 'approve', title: 'Approve' },
      { action: 'deny', title: 'Deny' },
    ],
  };
  event.waitUntil(worker.registration.showNotification(title, options));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const txid = (event.notification.data as { txid?: string | null } | null)?.txid ?? null;
  const action = event.action === 'deny' ? 'deny' : event.action === 'approve' ? 'approve' : '';
  const hash = txid ? `#request=${encodeURIComponent(txid)}${action ? `&action=${action}` : ''}` : '';
  const target = new URL(`./${hash}`, worker.registration.scope).href;
  event.waitUntil(
    (async () => {
      const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => client.url.startsWith(worker.registration.scope));
      if (open) {
        open.postMessage({ type: 'open-request', txid, action });
        await open.focus();
        return;
      }
      await worker.clients.openWindow(target);
    })(),
  );
});
