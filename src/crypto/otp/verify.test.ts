// Tests for HOTP/TOTP verification: drift window, replay guard, look-ahead and resync, on a frozen clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHotp } from './hotp.ts';
import { generateTotp, totpStep } from './totp.ts';
import { codesEqual, matchHotp, matchTotp, resyncHotp } from './verify.ts';

const SECRET = new TextEncoder().encode('12345678901234567890');
const OPTS = { digits: 6, algorithm: 'sha1', period: 30 } as const;
// Frozen clock: 15 s into a 30 s step, so ±31 s lands one step away and ±61 s two steps away.
const NOW = 1_700_000_025_000;
const NOW_STEP = totpStep(NOW, 30);

const totpAt = (offsetSeconds: number) => generateTotp(SECRET, NOW + offsetSeconds * 1000, OPTS);
const matchAt = (code: string, lastUsedStep: bigint | null = null) =>
  matchTotp({ secret: SECRET, nowMs: NOW, code, lastUsedStep, ...OPTS });

test('frozen clock sits mid-step', () => {
  assert.equal(NOW_STEP, 56_666_667n);
  assert.equal(totpStep(NOW - 31_000, 30), NOW_STEP - 1n);
  assert.equal(totpStep(NOW + 61_000, 30), NOW_STEP + 2n);
});

test('TOTP accepts the current step and ±1 step (-31 s, +31 s)', () => {
  assert.equal(matchAt(totpAt(0)), NOW_STEP);
  assert.equal(matchAt(totpAt(-31)), NOW_STEP - 1n);
  assert.equal(matchAt(totpAt(31)), NOW_STEP + 1n);
});

test('TOTP rejects codes two steps away (-61 s, +61 s)', () => {
  assert.equal(matchAt(totpAt(-61)), null);
  assert.equal(matchAt(totpAt(61)), null);
});

test('TOTP widens with the window option', () => {
  const code = totpAt(-61);
  assert.equal(
    matchTotp({ secret: SECRET, nowMs: NOW, code, lastUsedStep: null, window: 2, ...OPTS }),
    NOW_STEP - 2n,
  );
  assert.equal(
    matchTotp({ secret: SECRET, nowMs: NOW, code: totpAt(31), lastUsedStep: null, window: 0, ...OPTS }),
    null,
  );
});

test('TOTP accepts a code only once (lastUsedStep)', () => {
  const code = totpAt(0);
  const step = matchAt(code);
  assert.equal(step, NOW_STEP);
  assert.equal(matchAt(code, step), null);
  // An older step is refused once a later one was used, even inside the window.
  assert.equal(matchAt(totpAt(-31), NOW_STEP), null);
  // A later step is still accepted.
  assert.equal(matchAt(totpAt(31), NOW_STEP), NOW_STEP + 1n);
});

test('TOTP rejects malformed codes', () => {
  const code = totpAt(0);
  assert.equal(matchAt(`${code}0`), null);
  assert.equal(matchAt(code.slice(1)), null);
  assert.equal(matchAt(''), null);
});

test('HOTP look-ahead: +10 accepted, +11 rejected', () => {
  const base = { secret: SECRET, counter: 100n, digits: 6, algorithm: 'sha1' } as const;
  assert.equal(matchHotp({ ...base, code: generateHotp(SECRET, 100n, base) }), 100n);
  assert.equal(matchHotp({ ...base, code: generateHotp(SECRET, 110n, base) }), 110n);
  assert.equal(matchHotp({ ...base, code: generateHotp(SECRET, 111n, base) }), null);
  assert.equal(matchHotp({ ...base, code: generateHotp(SECRET, 99n, base) }), null);
  assert.equal(matchHotp({ ...base, lookAhead: 0, code: generateHotp(SECRET, 101n, base) }), null);
});

test('HOTP matches the RFC 4226 Appendix D value at counter 0', () => {
  assert.equal(matchHotp({ secret: SECRET, counter: 0n, code: '755224', digits: 6, algorithm: 'sha1' }), 0n);
  assert.equal(
    matchHotp({ secret: SECRET, counter: 0n, code: '755225', digits: 6, algorithm: 'sha1' }),
    null,
  );
});

test('HOTP resync from 2 and from 3 consecutive codes', () => {
  const o = { digits: 6, algorithm: 'sha1' } as const;
  const codesFrom = (start: bigint, n: number) =>
    Array.from({ length: n }, (_, i) => generateHotp(SECRET, start + BigInt(i), o));
  assert.equal(resyncHotp({ secret: SECRET, counter: 10n, codes: codesFrom(500n, 2), ...o }), 502n);
  assert.equal(resyncHotp({ secret: SECRET, counter: 10n, codes: codesFrom(500n, 3), ...o }), 503n);
  assert.equal(resyncHotp({ secret: SECRET, counter: 10n, codes: codesFrom(10n, 3), ...o }), 13n);
  // Upper edge of the search window: p = counter + searchWindow is found, one further is not.
  assert.equal(resyncHotp({ secret: SECRET, counter: 0n, codes: codesFrom(1000n, 2), ...o }), 1002n);
  assert.equal(resyncHotp({ secret: SECRET, counter: 0n, codes: codesFrom(1001n, 2), ...o }), null);
  // Codes behind the stored counter are never accepted.
  assert.equal(resyncHotp({ secret: SECRET, counter: 10n, codes: codesFrom(5n, 2), ...o }), null);
  // Non-consecutive codes do not resync.
  const [a, , c] = codesFrom(500n, 3);
  assert.equal(resyncHotp({ secret: SECRET, counter: 10n, codes: [a!, c!], ...o }), null);
});

test('HOTP resync refuses fewer than 2 codes', () => {
  assert.throws(
    () => resyncHotp({ secret: SECRET, counter: 0n, codes: ['755224'], digits: 6, algorithm: 'sha1' }),
    RangeError,
  );
});

test('codesEqual compares exactly', () => {
  assert.equal(codesEqual('123456', '123456'), true);
  assert.equal(codesEqual('123456', '123457'), false);
  assert.equal(codesEqual('123456', '1234567'), false);
});

test('HOTP matching stops at the largest 64-bit counter instead of throwing', () => {
  const max = (1n << 64n) - 1n;
  const o = { digits: 6, algorithm: 'sha1' } as const;
  const code = generateHotp(SECRET, max, o);
  assert.equal(matchHotp({ secret: SECRET, counter: max - 3n, code, ...o }), max);
  assert.equal(
    resyncHotp({ secret: SECRET, counter: max - 5n, codes: [generateHotp(SECRET, max - 1n, o), code], ...o }),
    max + 1n,
  );
});
