// Answers the server must refuse: forged, edited, replayed, late, misdirected, or without the verified-push number.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importSigningKey } from '../../src/device-client/account.ts';
import { signAnswer } from '../../src/device-client/client.ts';
import { DeviceApiError } from '../../src/device-client/errors.ts';
import { generateDeviceKeyPair } from '../../src/device-protocol/signing.ts';
import { type PushWorld, postRawAnswer, startPushWorld } from './harness.ts';

let world: PushWorld;
before(async () => {
  world = await startPushWorld();
});
after(() => world.close());

let users = 0;
/** A fresh user with an activated device and one verified push waiting (each test its own, for push limits). */
async function pushedLogin() {
  const username = `user${++users}`;
  const enrolled = await world.enroll(username);
  const txid = await world.push(username);
  const code = await world.shownCode(txid);
  return { ...enrolled, username, txid, code, key: await importSigningKey(enrolled.device.account) };
}

test('forged or altered answers are refused and the login keeps waiting', async () => {
  const { device, txid, code, key } = await pushedLogin();
  const now = world.clock.now();
  const other = await generateDeviceKeyPair(false);
  const genuine = await signAnswer(key, txid, 'approve', code, now);
  const forgeries = {
    'signed by another key': await signAnswer(other.privateKey, txid, 'approve', code, now),
    'signed for another txid': { ...(await signAnswer(key, 'T0000000000000000000', 'approve', code, now)) },
    'signed as a deny': { ...(await signAnswer(key, txid, 'deny', code, now)), decision: 'approve' },
    'signed over another code': { ...(await signAnswer(key, txid, 'approve', '999', now)), code },
    'signed at another time': { ...genuine, signedAt: now + 1 },
    'signed six minutes ago': await signAnswer(key, txid, 'approve', code, now - 6 * 60_000),
    'no signature': { ...genuine, signature: '' },
  };
  for (const [what, forged] of Object.entries(forgeries)) {
    const answer = await postRawAnswer(device, world.clock, txid, JSON.stringify(forged));
    assert.equal(answer.status, 403, `${what}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error, 'ANSWER_REJECTED', what);
    assert.equal((await world.tx(txid)).state, 'pushed', `${what}: still waiting`);
  }
  // The device header covers the body's bytes: a body edited after signing fails device authentication.
  const edited = JSON.stringify({ ...genuine, decision: 'fraud' });
  const tampered = await postRawAnswer(device, world.clock, txid, edited, JSON.stringify(genuine));
  assert.equal(tampered.status, 401);
  assert.equal(tampered.body.error, 'DEVICE_UNAUTHORIZED');
  assert.equal((await world.tx(txid)).state, 'pushed');
  // The genuine answer still works: the refusals above were about the forgeries, not the set-up.
  const accepted = await postRawAnswer(device, world.clock, txid, JSON.stringify(genuine));
  assert.deepEqual(accepted, { status: 200, body: { state: 'allow' } });
});

test('a replayed approval is refused with 409', async () => {
  const { device, txid, code, key } = await pushedLogin();
  const body = JSON.stringify(await signAnswer(key, txid, 'approve', code, world.clock.now()));
  assert.deepEqual(await postRawAnswer(device, world.clock, txid, body), {
    status: 200,
    body: { state: 'allow' },
  });
  // A new signed call carrying the old answer (the same signed call again is refused before this: replay.test.ts).
  world.clock.advance(1);
  const replay = await postRawAnswer(device, world.clock, txid, body);
  assert.equal(replay.status, 409);
  assert.equal(replay.body.error, 'TRANSACTION_FINISHED');
  assert.equal((await world.tx(txid)).state, 'allow');
});

test('an approval after the 60 s push timeout is refused and the login times out', async () => {
  const { device, txid, code } = await pushedLogin();
  world.clock.advance(60_001);
  await assert.rejects(device.approve(txid, code), (error: unknown) => {
    assert.ok(error instanceof DeviceApiError);
    assert.equal(error.status, 409);
    assert.equal(error.code, 'TRANSACTION_FINISHED');
    return true;
  });
  assert.equal((await world.tx(txid)).state, 'timeout');
  const status = await world.api.authStatus(txid);
  assert.deepEqual([status.result, status.status], ['deny', 'timeout']);
});

test('an approval signed for request A is refused when posted for request B', async () => {
  const first = await pushedLogin();
  const forA = JSON.stringify(
    await signAnswer(first.key, first.txid, 'approve', first.code, world.clock.now()),
  );
  assert.equal(await first.device.deny(first.txid), 'deny');
  // The next login a second later: the same signed /auth again would be refused as a replay.
  world.clock.advance(1_000);
  const txidB = await world.push(first.username);
  assert.equal((await world.tx(txidB)).state, 'pushed');
  const crossed = await postRawAnswer(first.device, world.clock, txidB, forA);
  assert.equal(crossed.status, 403);
  assert.equal(crossed.body.error, 'ANSWER_REJECTED');
  assert.equal((await world.tx(txidB)).state, 'pushed');
});

test("another device's answer for my login is 404, even when it is validly signed by that device", async () => {
  const mine = await pushedLogin();
  const stranger = await world.enroll(`stranger${users}`);
  await assert.rejects(stranger.device.approve(mine.txid, mine.code), (error: unknown) => {
    assert.ok(error instanceof DeviceApiError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'TRANSACTION_NOT_FOUND');
    return true;
  });
  assert.equal((await world.tx(mine.txid)).state, 'pushed');
});

test('a verified push approved with a wrong or missing number is denied (wrong_code)', async () => {
  const wrong = await pushedLogin();
  const other = String((Number(wrong.code) + 1) % 1000).padStart(3, '0');
  assert.equal(await wrong.device.approve(wrong.txid, other), 'deny');
  assert.deepEqual(
    [(await world.tx(wrong.txid)).state, (await world.tx(wrong.txid)).reason],
    ['deny', 'wrong_code'],
  );

  world.clock.advance(1_000);
  const txid = await world.push(wrong.username);
  await world.shownCode(txid);
  assert.equal(await wrong.device.approve(txid), 'deny');
  const tx = await world.tx(txid);
  assert.deepEqual([tx.state, tx.reason], ['deny', 'wrong_code']);
  const status = await world.api.authStatus(txid);
  assert.equal(status.result, 'deny');
  assert.match(status.status_msg, /Incorrect verification code/);
});
