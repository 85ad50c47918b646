// fast-check properties: generated codes always verify; codes outside the window never do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateHotp } from './hotp.ts';
import { generateTotp, totpStep } from './totp.ts';
import type { OtpAlgorithm, OtpDigits } from './types.ts';
import { matchHotp, matchTotp } from './verify.ts';

const arbAlgorithm = fc.constantFrom<OtpAlgorithm>('sha1', 'sha256', 'sha512');
const arbDigits = fc.constantFrom<OtpDigits>(6, 7, 8);
const arbSecret = fc.uint8Array({ minLength: 10, maxLength: 64 });
const arbCounter = fc.bigInt({ min: 0n, max: (1n << 48n) - 1n });
const arbNow = fc.integer({ min: 60_000, max: 4_000_000_000_000 });
const arbPeriod = fc.constantFrom(30, 60);

test('HOTP: a generated code matches at its counter within the look-ahead', () => {
  fc.assert(
    fc.property(
      arbSecret,
      arbCounter,
      fc.integer({ min: 0, max: 10 }),
      arbDigits,
      arbAlgorithm,
      (secret, counter, ahead, digits, algorithm) => {
        const at = counter + BigInt(ahead);
        const code = generateHotp(secret, at, { digits, algorithm });
        const matched = matchHotp({ secret, counter, code, digits, algorithm });
        // An earlier counter may collide by chance; it must still be in range and produce the code.
        assert.notEqual(matched, null);
        assert.ok(matched! >= counter && matched! <= at);
        assert.equal(generateHotp(secret, matched!, { digits, algorithm }), code);
      },
    ),
  );
});

test('HOTP: a code different from every code in the window never matches', () => {
  fc.assert(
    fc.property(
      arbSecret,
      arbCounter,
      arbDigits,
      arbAlgorithm,
      fc.nat(),
      (secret, counter, digits, algorithm, n) => {
        const window = new Set(
          Array.from({ length: 11 }, (_, i) =>
            generateHotp(secret, counter + BigInt(i), { digits, algorithm }),
          ),
        );
        const code = (n % 10 ** digits).toString().padStart(digits, '0');
        fc.pre(!window.has(code));
        assert.equal(matchHotp({ secret, counter, code, digits, algorithm }), null);
      },
    ),
  );
});

test('TOTP: a generated code matches within ±1 step and is then refused as a replay', () => {
  fc.assert(
    fc.property(
      arbSecret,
      arbNow,
      fc.integer({ min: -1, max: 1 }),
      arbPeriod,
      arbDigits,
      arbAlgorithm,
      (secret, nowMs, drift, period, digits, algorithm) => {
        const opts = { digits, algorithm, period };
        const code = generateTotp(secret, nowMs + drift * period * 1000, opts);
        const step = matchTotp({ secret, nowMs, code, lastUsedStep: null, ...opts });
        assert.notEqual(step, null);
        assert.ok(step! >= totpStep(nowMs, period) - 1n && step! <= totpStep(nowMs, period) + 1n);
        assert.equal(matchTotp({ secret, nowMs, code, lastUsedStep: step, ...opts }), null);
      },
    ),
  );
});

test('TOTP: a code different from every code in the window never matches', () => {
  fc.assert(
    fc.property(
      arbSecret,
      arbNow,
      arbPeriod,
      arbDigits,
      arbAlgorithm,
      fc.nat(),
      (secret, nowMs, period, digits, algorithm, n) => {
        const opts = { digits, algorithm, period };
        const window = new Set([-1, 0, 1].map((d) => generateTotp(secret, nowMs + d * period * 1000, opts)));
        const code = (n % 10 ** digits).toString().padStart(digits, '0');
        fc.pre(!window.has(code));
        assert.equal(matchTotp({ secret, nowMs, code, lastUsedStep: null, ...opts }), null);
      },
    ),
  );
});
