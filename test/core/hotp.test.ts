// HOTP hardware tokens through the core: import, assign, the RFC 4226 §7.4 look-ahead and an atomic counter.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assignToken, importTokens } from '../../src/core/admin/import-tokens.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import { generateHotp } from '../../src/crypto/otp/hotp.ts';
import { HOTP_LOOK_AHEAD } from '../../src/methods/hotp/hotp-method.ts';
import type { ImportedToken } from '../../src/methods/token-import/imported-token.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

// RFC 4226 Appendix D's seed.
const SEED = Buffer.from('12345678901234567890');
const code = (counter: number) => generateHotp(SEED, BigInt(counter), { digits: 6, algorithm: 'sha1' });

let h: CoreHarness;
let serials = 0;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

async function tokenFor(startCounter = 0) {
  const serial = `HW-${++serials}`;
  const token: ImportedToken = {
    serial,
    kind: 'hotp',
    secret: SEED,
    digits: 6,
    algorithm: 'sha1',
    counter: BigInt(startCounter),
    period: 0,
  };
  const [imported] = await importTokens(h.deps, 'test', [token]);
  assert.ok(imported);
  assert.equal(imported.userId, null);
  const user = await h.user();
  const assigned = await assignToken(h.deps, 'test', serial, user);
  return { user, assigned, app: await h.app() };
}

test('the look-ahead accepts a code 10 presses ahead', async () => {
  assert.equal(HOTP_LOOK_AHEAD, 10);
  const { user, app, assigned } = await tokenFor(5);
  const tx = await h.login(user, app, code(5 + 10));
  assert.equal(tx.state, 'allow');
  assert.equal(tx.deviceId, assigned.id);
  assert.equal((await h.deps.store.authenticators.get(assigned.id))?.counter, 16);
});

test('a code 11 presses ahead is rejected and does not move the counter', async () => {
  const { user, app, assigned } = await tokenFor(5);
  const tx = await h.login(user, app, code(5 + 11));
  assert.equal(tx.state, 'deny');
  assert.equal(tx.reason, 'invalid_passcode');
  assert.equal((await h.deps.store.authenticators.get(assigned.id))?.counter, 5);
});

test('the counter advances atomically: codes at or before the used one are rejected afterwards', async () => {
  const { user, app } = await tokenFor(0);
  assert.equal((await h.login(user, app, code(3))).state, 'allow');
  assert.equal((await h.login(user, app, code(3))).state, 'deny', 'the same code again');
  assert.equal((await h.login(user, app, code(1))).state, 'deny', 'a skipped earlier code');
  assert.equal((await h.login(user, app, code(4))).state, 'allow', 'the next code');
});

test('the same code submitted in parallel succeeds once', async () => {
  const { user, app } = await tokenFor(0);
  const results = await Promise.all([1, 2, 3, 4].map(() => h.login(user, app, code(2))));
  assert.equal(results.filter((tx) => tx.state === 'allow').length, 1);
});

test('a token cannot be assigned to a second user, and an unknown serial is TOKEN_NOT_FOUND', async () => {
  const { assigned } = await tokenFor(0);
  const other = await h.user();
  await assert.rejects(assignToken(h.deps, 'test', assigned.serial!, other), (error) =>
    isCountersignError(error, 'TOKEN_ASSIGNED'),
  );
  await assert.rejects(assignToken(h.deps, 'test', 'no-such-serial', other), (error) =>
    isCountersignError(error, 'TOKEN_NOT_FOUND'),
  );
});

test('importing a serial that exists imports nothing from the batch', async () => {
  const { assigned } = await tokenFor(0);
  const fresh = `HW-fresh-${++serials}`;
  const batch: ImportedToken[] = [fresh, assigned.serial!].map((serial) => ({
    serial,
    kind: 'hotp',
    secret: SEED,
    digits: 6,
    algorithm: 'sha1',
    counter: 0n,
    period: 0,
  }));
  await assert.rejects(importTokens(h.deps, 'test', batch), (error) =>
    isCountersignError(error, 'TOKEN_EXISTS'),
  );
  assert.equal(await h.deps.store.authenticators.findBySerial(fresh), null);
});
