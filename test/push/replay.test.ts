// Replayed device API calls and the live channel's tickets (issue 9.3): a signed call that changes something is
// accepted once; the stream opens with a single-use, short-lived ticket instead of credentials in its URL.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importSigningKey } from '../../src/device-client/account.ts';
import { signAnswer } from '../../src/device-client/client.ts';
import { deviceApiUrl } from '../../src/device-client/http.ts';
import type { LiveTicketResponse } from '../../src/device-protocol/messages.ts';
import {
  type DeviceKey,
  deviceAuthorization,
  requestSigningString,
  sha256Hex,
  signText,
} from '../../src/device-protocol/signing.ts';
import { type PushWorld, startPushWorld } from './harness.ts';

/** How long a ticket opens the stream (the requirement: about 30 s). */
const LIVE_TICKET_MS = 30_000;

let world: PushWorld;
before(async () => {
  world = await startPushWorld();
});
after(() => world.close());

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One device-signed call, signed once: `send()` sends the very same bytes each time. */
async function capturedCall(
  account: { serverUrl: string; deviceId: string },
  key: DeviceKey,
  method: 'POST' | 'PUT',
  route: string,
  body = '',
  authorization?: (path: string) => Promise<string>,
) {
  const { url, path } = deviceApiUrl(account.serverUrl, route);
  const header =
    (await authorization?.(path)) ??
    (await deviceAuthorization(account.deviceId, key, method, path, body, world.clock.now()));
  return {
    header,
    async send(): Promise<Answer> {
      const response = await fetch(url, {
        method,
        headers: { authorization: header, ...(body !== '' && { 'content-type': 'application/json' }) },
        ...(body !== '' && { body }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}

function assertUnauthorized(answer: Answer, what: string): void {
  assert.equal(answer.status, 401, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error, 'DEVICE_UNAUTHORIZED', what);
}

/** Opens GET /events with `query`; returns the status (and closes a stream that opened). */
async function openStream(query: string): Promise<Answer> {
  const controller = new AbortController();
  const response = await fetch(`${world.url}/device/v1/events?${query}`, { signal: controller.signal });
  if (response.status === 200) {
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    controller.abort();
    return { status: 200, body: {} };
  }
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let users = 0;
async function enrolled() {
  const username = `replay${++users}`;
  const { device } = await world.enroll(username);
  return { username, device, key: await importSigningKey(device.account) };
}

/** A ticket bought with a signed POST /events/ticket. */
async function buyTicket(account: { serverUrl: string; deviceId: string }, key: DeviceKey) {
  const call = await capturedCall(account, key, 'POST', '/events/ticket');
  const answer = await call.send();
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as unknown as LiveTicketResponse;
}

test('issue 9.3: a device-signed answer sent twice is refused the second time (401), before the answer is looked at', async () => {
  const { username, device, key } = await enrolled();
  const txid = await world.push(username);
  const answer = JSON.stringify(await signAnswer(key, txid, 'deny', '', world.clock.now()));
  const call = await capturedCall(device.account, key, 'POST', `/requests/${txid}/answer`, answer);
  assert.deepEqual(await call.send(), { status: 200, body: { state: 'deny' } });
  // Before the fix: 409 TRANSACTION_FINISHED, i.e. the copy reached the push logic.
  assertUnauthorized(await call.send(), 'the same signed call again');
});

test('issue 15: a device call signed more than 5 minutes before or after the server time is refused', async () => {
  const { device, key } = await enrolled();
  const signedAt = (offsetMs: number) => (path: string) =>
    deviceAuthorization(device.account.deviceId, key, 'POST', path, '', world.clock.now() + offsetMs);
  for (const offsetMs of [-5 * 60_000 - 1_000, 5 * 60_000 + 1_000]) {
    const call = await capturedCall(device.account, key, 'POST', '/events/ticket', '', signedAt(offsetMs));
    assertUnauthorized(await call.send(), `signed ${offsetMs} ms from now`);
  }
  // Within the window the same call is accepted: the refusals above were the time.
  const inside = await capturedCall(device.account, key, 'POST', '/events/ticket', '', signedAt(-4 * 60_000));
  assert.equal((await inside.send()).status, 200);
});

test('issue 9.3: the same signed text under another valid ECDSA signature (r, n − s) is refused too', async () => {
  const { device, key } = await enrolled();
  const body = JSON.stringify({ pushSubscription: null });
  const signedAt = world.clock.now();
  const first = await capturedCall(device.account, key, 'PUT', '/push-subscription', body, (path) =>
    deviceAuthorization(device.account.deviceId, key, 'PUT', path, body, signedAt),
  );
  assert.deepEqual(await first.send(), { status: 200, body: { ok: true } });
  // ECDSA is malleable: whoever saw (r, s) can write (r, n − s), which verifies as well. The claim is on what was
  // signed, so the twin is the same call.
  const twin = await capturedCall(device.account, key, 'PUT', '/push-subscription', body, async () =>
    first.header.replace(/sig="([^"]+)"/, (_, sig: string) => `sig="${malleate(sig)}"`),
  );
  assert.notEqual(twin.header, first.header);
  assertUnauthorized(await twin.send(), 'the malleated twin');
});

test('issue 9.3: a replayed ticket purchase is refused', async () => {
  const { device, key } = await enrolled();
  const call = await capturedCall(device.account, key, 'POST', '/events/ticket');
  assert.equal((await call.send()).status, 200);
  assertUnauthorized(await call.send(), 'the same ticket request again');
});

test('issue 9.3: a live-channel ticket opens the stream once; used again it is refused', async () => {
  const { device, key } = await enrolled();
  const { ticket, expiresAt } = await buyTicket(device.account, key);
  assert.match(ticket, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  assert.equal(expiresAt, world.clock.now() + LIVE_TICKET_MS);
  // The database holds only a hash: the ticket itself is no row's id (spending it there would have used it up).
  assert.equal(await world.deps.store.liveTickets.consume(ticket, world.clock.now()), null);
  assert.equal((await openStream(new URLSearchParams({ ticket }).toString())).status, 200);
  assertUnauthorized(await openStream(new URLSearchParams({ ticket }).toString()), 'the ticket used again');
});

test('issue 9.3: an expired live-channel ticket is refused', async () => {
  const { device, key } = await enrolled();
  const late = await buyTicket(device.account, key);
  world.clock.advance(1); // a second purchase is a new signed call (the same one again would be a replay)
  const inTime = await buyTicket(device.account, key);
  world.clock.advance(LIVE_TICKET_MS - 1_000);
  assert.equal((await openStream(`ticket=${inTime.ticket}`)).status, 200);
  world.clock.advance(1_001);
  assertUnauthorized(await openStream(`ticket=${late.ticket}`), 'the expired ticket');
});

test('issue 9.3: credentials in the URL (the old way to open the stream) are refused', async () => {
  const { device, key } = await enrolled();
  const ts = world.clock.now();
  const text = requestSigningString('GET', '/device/v1/events', ts, await sha256Hex(''));
  const query = new URLSearchParams({
    id: device.account.deviceId,
    ts: String(ts),
    sig: await signText(key, text),
  });
  assertUnauthorized(await openStream(query.toString()), 'signed URL credentials');
  assertUnauthorized(await openStream('ticket=not-a-ticket'), 'a malformed ticket');
  assertUnauthorized(await openStream(`ticket=${'A'.repeat(43)}`), 'an unknown ticket');
  assertUnauthorized(await openStream(''), 'no ticket');
});

test('a ticket is bound to its device: it stops working when the device is removed', async () => {
  const removed = await enrolled();
  const ticket = await buyTicket(removed.device.account, removed.key);
  await world.deps.store.authenticators.remove(removed.device.account.deviceId);
  assertUnauthorized(await openStream(`ticket=${ticket.ticket}`), "a removed device's ticket");
});

test('the device client opens its live channel with a ticket and receives a push', async () => {
  const { username, device } = await enrolled();
  const controller = new AbortController();
  const seen: string[] = [];
  let opened: () => void = () => {};
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  let arrived: (txid: string) => void = () => {};
  const arrival = new Promise<string>((resolve) => {
    arrived = resolve;
  });
  const done = device.events(
    (event) => {
      if (event.type !== 'request') return;
      seen.push(event.request.txid);
      arrived(event.request.txid);
    },
    controller.signal,
    opened,
  );
  await open;
  const txid = await world.push(username);
  assert.equal(await arrival, txid);
  controller.abort();
  await done;
  assert.deepEqual(seen, [txid]);
});

/** The P-256 group order n. */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** (r, s) → (r, n − s), base64url IEEE P1363: the other signature ECDSA accepts for the same text. */
function malleate(signature: string): string {
  const bytes = Buffer.from(signature, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const twin = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
  return Buffer.concat([bytes.subarray(0, 32), twin]).toString('base64url');
}
