// TOTP through the core on a frozen clock: one use per code, ±1 step of drift, SHA-256/8-digit apps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

test('the current code is allowed once; the same code again is a replay and denied', async () => {
  const app = await h.app();
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  const code = h.totpCode(authenticator, seed);

  const first = await h.login(user, app, code);
  assert.equal(first.state, 'allow');
  assert.equal(first.reason, 'valid_passcode');
  assert.equal(first.deviceId, authenticator.id);

  const again = await h.login(user, app, code);
  assert.equal(again.state, 'deny');
  assert.equal(again.reason, 'invalid_passcode');
});

// 800-63B §5.1.4.2 / RFC 6238 §5.2: at most one step of drift either way (the clock sits 15 s into a step).
for (const [offsetSeconds, expected] of [
  [-31, 'allow'],
  [31, 'allow'],
  [-61, 'deny'],
  [61, 'deny'],
] as const) {
  test(`a code from ${offsetSeconds > 0 ? '+' : ''}${offsetSeconds} s: ${expected}`, async () => {
    const app = await h.app();
    const user = await h.user();
    const { authenticator, seed } = await h.totp(user);
    const code = h.totpCode(authenticator, seed, h.clock.now() + offsetSeconds * 1000);
    const tx = await h.login(user, app, code);
    assert.equal(tx.state, expected);
    if (expected === 'deny') assert.equal(tx.reason, 'invalid_passcode');
  });
}

test('a code one step old is refused once a newer step was accepted', async () => {
  const app = await h.app();
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  assert.equal((await h.login(user, app, h.totpCode(authenticator, seed))).state, 'allow');
  const older = h.totpCode(authenticator, seed, h.clock.now() - 30_000);
  assert.equal((await h.login(user, app, older)).state, 'deny');
});

test('a SHA-256, 8-digit authenticator works and its 6-digit prefix does not', async () => {
  const app = await h.app();
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user, { algorithm: 'sha256', digits: 8 });
  assert.equal(authenticator.algorithm, 'sha256');
  assert.equal(seed.length, 32);
  const code = h.totpCode(authenticator, seed);
  assert.equal(code.length, 8);
  assert.equal((await h.login(user, app, code.slice(0, 6))).state, 'deny');
  h.clock.advance(30_000);
  const next = h.totpCode(authenticator, seed);
  const tx = await h.login(user, app, next);
  assert.equal(tx.state, 'allow');
  assert.equal(tx.deviceId, authenticator.id);
});
