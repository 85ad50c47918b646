// Activation and device keys: single-use codes, 24 h expiry, reactivation retiring the old phone, public keys only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { DeviceApiError } from '../../src/device-client/errors.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { currentPasscode } from '../../src/device-protocol/passcode.ts';
import { type PushWorld, startPushWorld } from './harness.ts';

let world: PushWorld;
before(async () => {
  world = await startPushWorld();
});
after(() => world.close());

const HOUR = 3_600_000;

function refusedActivation(error: unknown): boolean {
  assert.ok(error instanceof DeviceApiError, String(error));
  assert.equal(error.status, 400);
  assert.match(error.message, /not valid \(unknown, used or expired\)/);
  return true;
}

test('an activation code works once: a second activation with it is refused', async () => {
  const enrolled = await world.api.enroll({ username: 'gina' });
  const account = await activateDevice(enrolled.activation_code);
  assert.equal(account.username, 'gina');
  await assert.rejects(activateDevice(enrolled.activation_code), refusedActivation);
  await assert.rejects(activateDevice(enrolled.activation_url), refusedActivation);
});

test('an activation code expires after 24 hours', async () => {
  const late = await world.api.enroll({ username: 'hank' });
  const inTime = await world.api.enroll({ username: 'hank2' });
  world.clock.advance(24 * HOUR - 1_000);
  assert.equal((await activateDevice(inTime.activation_code)).username, 'hank2', 'valid just before 24 h');
  world.clock.advance(2_000);
  await assert.rejects(activateDevice(late.activation_code), refusedActivation);
  assert.equal(
    await world.api.enrollStatus({ user_id: late.user_id, activation_code: late.activation_code }),
    'invalid',
  );
});

test("reactivation on a new device retires the old one's signatures and passcodes", async () => {
  const { device: old, userId } = await world.enroll('ivy');
  const user = await world.deps.store.users.get(userId);
  assert.ok(user);
  const passcodeLogin = async (passcode: string) =>
    world.api.auth({ username: 'ivy', factor: 'passcode', passcode });
  const before = (await old.passcode(world.clock.now())).passcode;
  assert.equal((await passcodeLogin(before)).result, 'allow', "the old device's passcode works at first");
  world.clock.advance(30_000);
  const oldCode = (await old.passcode(world.clock.now())).passcode;

  const { code } = await createActivation(world.deps, 'test', user, {
    replacesDeviceId: old.account.deviceId,
  });
  // Until the new phone activates, the old one keeps working.
  assert.deepEqual(await old.pending(), []);
  const replacement = createDeviceClient(await activateDevice(activationLink(world.url, code)), {
    clock: world.clock,
  });

  await assert.rejects(old.pending(), (error: unknown) => {
    assert.ok(error instanceof DeviceApiError);
    assert.deepEqual([error.status, error.code], [401, 'DEVICE_UNAUTHORIZED']);
    return true;
  });
  const txid = await world.push('ivy');
  await assert.rejects(old.approve(txid, await world.shownCode(txid)), (error: unknown) => {
    assert.ok(error instanceof DeviceApiError);
    return error.status === 401;
  });
  assert.equal((await world.tx(txid)).state, 'pushed');
  assert.equal((await passcodeLogin(oldCode)).result, 'deny', "the old device's passcode stops working");
  const newCode = (await replacement.passcode(world.clock.now())).passcode;
  assert.notEqual(newCode, oldCode);
  assert.equal(await replacement.deny(txid), 'deny');
  assert.equal((await passcodeLogin(newCode)).result, 'allow');
});

test("the app's offline passcode (device-protocol currentPasscode) is accepted as factor=passcode", async () => {
  const { device } = await world.enroll('jack');
  const { secret, digits, period, algorithm } = device.account.totp;
  const passcode = await currentPasscode(secret, world.clock.now(), { digits, period, algorithm });
  assert.equal((await device.passcode(world.clock.now())).passcode, passcode);
  const wrong = String((Number(passcode) + 1) % 10 ** digits).padStart(digits, '0');
  assert.equal(
    (await world.api.auth({ username: 'jack', factor: 'passcode', passcode: wrong })).result,
    'deny',
  );
  assert.equal((await world.api.auth({ username: 'jack', factor: 'passcode', passcode })).result, 'allow');
});

/** Every key path in `value` (nested objects and arrays). */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    `${prefix}${key}`,
    ...keysOf(item, `${prefix}${key}.`),
  ]);
}

test('the server stores only the public key: no `d` member anywhere in the device row', async () => {
  const { device } = await world.enroll('kate');
  assert.ok(device.account.privateJwk.d, 'the client does hold a private key');
  const row = await world.deps.store.authenticators.get(device.account.deviceId);
  assert.ok(row);
  const paths = keysOf(row.data);
  assert.ok(paths.includes('publicKey.x'), `paths: ${paths}`);
  assert.deepEqual(
    paths.filter((path) => path === 'd' || path.endsWith('.d')),
    [],
  );
  assert.equal(JSON.stringify(row).includes(device.account.privateJwk.d), false);
  assert.deepEqual(row.data.publicKey, device.account.publicJwk);
});
