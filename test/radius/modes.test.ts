// Each RADIUS mode end to end with Debian's radclient: auto (push, passcode fallback), concat, challenge, mfa-only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GENERIC_REJECT } from '../../src/fronts/radius/modes/outcome.ts';
import { attribute, PASSWORD, type RadiusHarness, startRadiusHarness } from './fixture.ts';
import { radclientAvailable } from './radclient.ts';

const skip = radclientAvailable() ? false : 'radclient not on PATH: apt-get install -y freeradius-utils';
const PUSH_WAIT = { timeoutSeconds: 20 };

describe('RADIUS modes with radclient', { skip }, () => {
  let h: RadiusHarness;
  before(async () => {
    h = await startRadiusHarness();
  });
  after(async () => {
    await h?.close();
  });
  const code = async (name: string) => {
    const user = await h.user(name);
    const totp = await h.totp(user);
    return { user, now: () => totp.codeAt(h.server.clock.now()) };
  };

  test('auto: the password, then a push approved by the device', async () => {
    await h.configureClient({ mode: 'auto' });
    const user = await h.user('auto-push');
    const device = await h.device(user);
    const [result, request] = await Promise.all([
      h.auth('auto-push', PASSWORD, PUSH_WAIT),
      h.answerNextPush(device),
    ]);
    assert.equal(result.code, 'Access-Accept', result.stdout);
    assert.equal(request.username, 'auto-push');
    const denied = await Promise.all([
      h.auth('auto-push', PASSWORD, PUSH_WAIT),
      h.answerNextPush(device, 'deny'),
    ]);
    assert.equal(denied[0].code, 'Access-Reject');
    assert.equal(attribute(denied[0], 'Reply-Message'), GENERIC_REJECT);
  });

  test('auto: a user without a push device gets a passcode challenge', async () => {
    await h.configureClient({ mode: 'auto' });
    const { now } = await code('auto-totp');
    const first = await h.auth('auto-totp', PASSWORD);
    assert.equal(first.code, 'Access-Challenge', first.stdout);
    assert.match(attribute(first, 'Reply-Message') ?? '', /passcode/);
    const state = attribute(first, 'State');
    assert.ok(state?.startsWith('0x'));
    const second = await h.auth('auto-totp', now(), { lines: [`State = ${state}`] });
    assert.equal(second.code, 'Access-Accept', second.stdout);
  });

  test('concat: password,passcode and password,push; phone and sms are refused with a reason', async () => {
    await h.configureClient({ mode: 'concat' });
    const { user, now } = await code('concat-user');
    const ok = await h.auth('concat-user', `${PASSWORD},${now()}`);
    assert.equal(ok.code, 'Access-Accept', ok.stdout);
    const device = await h.device(user);
    const [pushed] = await Promise.all([
      h.auth('concat-user', `${PASSWORD},push`, PUSH_WAIT),
      h.answerNextPush(device),
    ]);
    assert.equal(pushed.code, 'Access-Accept', pushed.stdout);
    const sms = await h.auth('concat-user', `${PASSWORD},sms`);
    assert.equal(sms.code, 'Access-Reject');
    assert.match(attribute(sms, 'Reply-Message') ?? '', /not enabled/);
    h.server.clock.advance(30_000);
    const wrongPassword = await h.auth('concat-user', `nope,${now()}`);
    assert.equal(wrongPassword.code, 'Access-Reject');
    assert.equal(attribute(wrongPassword, 'Reply-Message'), GENERIC_REJECT);
  });

  test('issue 15: password,push without a push device is rejected; the core ends the login with the reason', async () => {
    await h.configureClient({ mode: 'concat' });
    await code('no-phone');
    const result = await h.auth('no-phone', `${PASSWORD},push`);
    assert.equal(result.code, 'Access-Reject', result.stdout);
    const ended = (await h.auditFor('no-phone')).filter((entry) => entry.action === 'authentication');
    assert.deepEqual(
      ended.map((entry) => [entry.result, entry.reason, entry.factor]),
      [['deny', 'no_capable_device', 'push']],
    );
  });

  test('concat: a custom delimiter splits at its last occurrence', async () => {
    await h.configureClient({ mode: 'concat', delimiter: '|' });
    const user = await h.user('pipes', { password: 'a|b' });
    const totp = await h.totp(user);
    const result = await h.auth('pipes', `a|b|${totp.codeAt(h.server.clock.now())}`);
    assert.equal(result.code, 'Access-Accept', result.stdout);
  });

  test('challenge: State round trips answered with the option number and with a passcode', async () => {
    await h.configureClient({ mode: 'challenge' });
    const { user, now } = await code('challenged');
    const device = await h.device(user);
    const first = await h.auth('challenged', PASSWORD);
    assert.equal(first.code, 'Access-Challenge', first.stdout);
    assert.match(attribute(first, 'Reply-Message') ?? '', /passcode.*1 for a push/);
    const state = attribute(first, 'State')!;
    const [pushed] = await Promise.all([
      h.auth('challenged', '1', { ...PUSH_WAIT, lines: [`State = ${state}`] }),
      h.answerNextPush(device),
    ]);
    assert.equal(pushed.code, 'Access-Accept', pushed.stdout);

    const again = await h.auth('challenged', PASSWORD);
    const passcode = await h.auth('challenged', now(), { lines: [`State = ${attribute(again, 'State')}`] });
    assert.equal(passcode.code, 'Access-Accept', passcode.stdout);
  });

  test('challenge: a wrong password gets no challenge', async () => {
    await h.configureClient({ mode: 'challenge' });
    await code('challenged-bad');
    const result = await h.auth('challenged-bad', 'wrong');
    assert.equal(result.code, 'Access-Reject');
    assert.equal(attribute(result, 'State'), undefined);
  });

  test('mfa-only: the RADIUS password is a TOTP passcode, or "push"', async () => {
    await h.configureClient({ mode: 'mfa-only' });
    const { user, now } = await code('mfa-only');
    const ok = await h.auth('mfa-only', now());
    assert.equal(ok.code, 'Access-Accept', ok.stdout);
    const replay = await h.auth('mfa-only', now());
    assert.equal(replay.code, 'Access-Reject', 'a TOTP code is single use');
    const device = await h.device(user);
    const [pushed] = await Promise.all([h.auth('mfa-only', 'push', PUSH_WAIT), h.answerNextPush(device)]);
    assert.equal(pushed.code, 'Access-Accept', pushed.stdout);
  });

  test('policy from the core: bypass users pass, users without a device are asked to enroll', async () => {
    await h.configureClient({ mode: 'auto' });
    await h.user('nodevice');
    const enroll = await h.auth('nodevice', PASSWORD);
    assert.equal(enroll.code, 'Access-Reject');
    assert.match(attribute(enroll, 'Reply-Message') ?? '', /Enroll a device first/);
    await h.user('bypassed', { status: 'bypass' });
    const bypass = await h.auth('bypassed', PASSWORD);
    assert.equal(bypass.code, 'Access-Accept', bypass.stdout);
    const wrong = await h.auth('bypassed', 'wrong');
    assert.equal(wrong.code, 'Access-Reject', 'bypass skips the second factor, never the password');
  });
});
