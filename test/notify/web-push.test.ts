// Web Push delivery end to end: the core pushes, the fake push service receives, the test decrypts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createNotifier } from '../../src/fronts/notify/create-notifier.ts';
import { type StoredVapidKeys, VAPID_SETTING } from '../../src/fronts/notify/vapid-keys.ts';
import { verificationCode } from '../../src/methods/push/push-request.ts';
import { decryptPush, fakeSubscription, verifyVapid } from './fake-push-service.ts';
import { type NotifyWorld, openNotifyWorld } from './notify-world.ts';

let world: NotifyWorld;
beforeEach(async () => {
  world = await openNotifyWorld();
});
afterEach(async () => {
  await world.close();
});

test('a push arrives VAPID-signed, aes128gcm-encrypted, urgent, with TTL until expiry and no code inside', async () => {
  const sub = fakeSubscription(`${world.push.origin}/push/phone-1`);
  const { user } = await world.device(sub.data);
  const tx = await world.pushLogin(user);
  await world.notify.idle();

  assert.equal(world.push.received.length, 1);
  const [message] = world.push.received;
  assert.equal(message!.path, '/push/phone-1');
  assert.equal(message!.headers['content-encoding'], 'aes128gcm');
  assert.equal(message!.headers.urgency, 'high');
  assert.equal(message!.headers.ttl, String((tx.expiresAt - world.h.clock.now()) / 1000));
  const { claims, publicKey } = verifyVapid(message!.headers.authorization);
  assert.equal(publicKey, await world.notify.vapidPublicKey());
  // RFC 8292 §2: the audience is the push service's origin, the subject the operator contact.
  assert.equal(claims.aud, world.push.origin);
  assert.equal(claims.sub, 'mailto:countersign@localhost');
  assert.ok(typeof claims.exp === 'number' && claims.exp * 1000 > Date.now());

  const payload = JSON.parse(decryptPush(message!.body, sub));
  assert.deepEqual(payload, {
    type: 'request',
    txid: tx.id,
    application: world.app.name,
    username: user.username,
  });
  const code = verificationCode(tx);
  assert.ok(code !== null, 'the push is a verified push');
  assert.ok(!JSON.stringify(payload).includes(`"${code}"`));
  assert.deepEqual(
    world.results.map((r) => r.result),
    ['sent'],
  );
});

test('decryption fails with another subscription key (the payload really is encrypted for this one)', async () => {
  const sub = fakeSubscription(`${world.push.origin}/push/phone-2`);
  const { user } = await world.device(sub.data);
  await world.pushLogin(user);
  await world.notify.idle();
  const other = fakeSubscription(sub.data.endpoint);
  assert.throws(() => decryptPush(world.push.received[0]!.body, other));
});

test('the VAPID key pair is made once, stored with the private key sealed, and shared by every notifier', async () => {
  const first = await world.notify.vapidPublicKey();
  const stored = await world.h.deps.store.settings.get<StoredVapidKeys>(VAPID_SETTING);
  assert.equal(stored?.publicKey, first);
  assert.match(stored!.privateKeySealed, /^cs1\./);
  const again = createNotifier({ deps: world.h.deps, log: world.log });
  assert.equal(await again.vapidPublicKey(), first);
});

test('a 410 from the push service removes the subscription; a 500 keeps it', async () => {
  const gone = fakeSubscription(`${world.push.origin}/push/gone`);
  const flaky = fakeSubscription(`${world.push.origin}/push/flaky`);
  world.push.answer('/push/gone', 410);
  world.push.answer('/push/flaky', 500);
  const a = await world.device(gone.data);
  const b = await world.device(flaky.data);
  await world.pushLogin(a.user);
  await world.pushLogin(b.user);
  await world.notify.idle();

  const authenticators = world.h.deps.store.authenticators;
  assert.equal((await authenticators.get(a.device.id))?.data.pushSubscription, null);
  assert.deepEqual((await authenticators.get(b.device.id))?.data.pushSubscription, flaky.data);
  assert.deepEqual(world.results.map((r) => r.result).sort(), ['failed', 'subscription-gone']);
});

test('a subscription replaced while the push was in flight is kept even when the old one answers 410', async () => {
  const old = fakeSubscription(`${world.push.origin}/push/old`);
  const held = world.push.hold('/push/old', 410);
  const { user, device } = await world.device(old.data);
  const fresh = fakeSubscription(`${world.push.origin}/push/new`);
  await world.pushLogin(user);
  await held.arrived;
  await world.h.deps.store.authenticators.updateData(device.id, {
    ...device.data,
    pushSubscription: fresh.data,
  });
  held.release();
  await world.notify.idle();
  assert.deepEqual(
    world.results.map((r) => r.result),
    ['subscription-gone'],
  );
  assert.deepEqual(
    (await world.h.deps.store.authenticators.get(device.id))?.data.pushSubscription,
    fresh.data,
  );
});

test('devices without a subscription get no Web Push', async () => {
  const { user } = await world.device(null);
  await world.pushLogin(user);
  await world.notify.idle();
  assert.equal(world.push.received.length, 0);
  assert.deepEqual(
    world.results.map((r) => r.result),
    ['no-subscription'],
  );
});

test('a push service that never answers is abandoned after the timeout; the login is unaffected', async () => {
  await world.close();
  world = await openNotifyWorld({ pushTimeoutMs: 200 });
  const sub = fakeSubscription(`${world.push.origin}/push/slow`);
  world.push.answer('/push/slow', 'hang');
  const { user } = await world.device(sub.data);
  const tx = await world.pushLogin(user);
  assert.equal(tx.state, 'pushed');
  await world.notify.idle();
  assert.deepEqual(
    world.results.map((r) => r.result),
    ['failed'],
  );
  assert.ok(world.log.lines.some((line) => line.level === 'warn' && line.message === 'web push failed'));
});

test('without allowHttpEndpoints a plain-http endpoint is refused and nothing is sent', async () => {
  await world.close();
  world = await openNotifyWorld({ allowHttpEndpoints: false });
  const sub = fakeSubscription(`${world.push.origin}/push/plain`);
  const { user, device } = await world.device(sub.data);
  await world.pushLogin(user);
  await world.notify.idle();
  assert.equal(world.push.received.length, 0);
  assert.deepEqual(
    world.results.map((r) => r.result),
    ['refused-endpoint'],
  );
  assert.ok(world.log.lines.some((line) => /must use https/.test(line.message)));
  // Refusing to send is not a reason to forget the subscription.
  assert.deepEqual((await world.h.deps.store.authenticators.get(device.id))?.data.pushSubscription, sub.data);
});
