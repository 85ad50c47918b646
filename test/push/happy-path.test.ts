// The whole push flow through the Node device client and the official-style Auth API calls.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PreauthResponse } from '../../src/client/types.ts';
import { type PushWorld, startPushWorld, tapEvents, waitForPending } from './harness.ts';

let world: PushWorld;
before(async () => {
  world = await startPushWorld();
});
after(() => world.close());

test('enroll → activate → preauth → verified async push → number on auth_status → approve → allow', async () => {
  const { device, userId, activationCode } = await world.enroll('alice');
  assert.equal(await world.api.enrollStatus({ user_id: userId, activation_code: activationCode }), 'success');
  assert.equal(device.account.username, 'alice');
  assert.equal(device.account.serverUrl, world.url);

  const preauth = (await world.api.preauth({ username: 'alice' })) as Extract<
    PreauthResponse,
    { result: 'auth' }
  >;
  assert.equal(preauth.result, 'auth');
  const listed = preauth.devices.find((entry) => entry.device === device.account.deviceId);
  assert.ok(listed, 'preauth lists the activated device');
  assert.ok(listed.capabilities.includes('push'), `capabilities: ${listed.capabilities}`);

  const tap = await tapEvents(device);
  try {
    const txid = await world.push('alice', { pushinfo: 'from=Office%20VPN&ticket=42', type: 'Login' });
    const status = await world.api.authStatus(txid);
    assert.equal(status.result, 'waiting');
    assert.equal(status.status, 'pushed');
    const code = /verification code (\d+) into the Countersign Authenticator/.exec(status.status_msg)?.[1];
    assert.ok(code, status.status_msg);
    assert.match(code, /^\d{3}$/);

    const [request] = await device.pending();
    assert.ok(request);
    assert.equal(request.txid, txid);
    assert.equal(request.application, 'VPN');
    assert.equal(request.username, 'alice');
    assert.deepEqual(request.verification, { digits: 3 });
    assert.deepEqual(request.details, [
      ['from', 'Office VPN'],
      ['ticket', '42'],
    ]);
    assert.equal('code' in request, false, 'the device never receives the number itself');
    const live = await tap.next((event) => event.type === 'request');
    assert.deepEqual(live, { type: 'request', request });
    assert.deepEqual(world.notices.deviceRequests.at(-1), { deviceId: device.account.deviceId, txid });

    assert.equal(await device.approve(txid, code), 'allow');
    const final = await world.api.authStatus(txid);
    assert.equal(final.result, 'allow');
    assert.deepEqual(await tap.next((event) => event.type === 'resolved'), {
      type: 'resolved',
      txid,
      state: 'allow',
    });
    assert.deepEqual(await device.pending(), []);
  } finally {
    await tap.stop();
  }
});

test('a synchronous push (no async) holds the /auth request until the device approves', async () => {
  const { device } = await world.enroll('bob');
  let settled = false;
  const held = world.api
    .call('POST', '/auth/v2/auth', { username: 'bob', factor: 'push', device: 'auto' })
    .finally(() => {
      settled = true;
    });
  const request = await waitForPending(device);
  assert.ok(request);
  assert.equal(request.verification, null, 'no verified push without client_supports_verified_push');
  assert.equal(settled, false, 'the /auth call is still held while the push waits');
  assert.equal(await device.approve(request.txid), 'allow');
  const answer = (await held) as { result: string; status: string };
  assert.equal(answer.result, 'allow');
  assert.equal((await world.tx(request.txid)).state, 'allow');
});

test('factor=auto sends a push to the device', async () => {
  const { device } = await world.enroll('carol');
  const txid = await world.push('carol', { factor: 'auto' });
  assert.equal((await world.tx(txid)).state, 'pushed');
  const request = await waitForPending(device, txid);
  const code = await world.shownCode(txid);
  assert.equal(request.verification?.digits, code.length);
  assert.equal(await device.approve(txid, code), 'allow');
  assert.equal((await world.api.authStatus(txid)).result, 'allow');
});
