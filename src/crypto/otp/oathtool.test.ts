// Cross-checks HOTP/TOTP against Debian's oathtool (OATH Toolkit) when it is installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateHotp } from './hotp.ts';
import { generateTotp } from './totp.ts';
import type { OtpAlgorithm } from './types.ts';

function oathtoolInstalled(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const oathtool = (args: string[]) => execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const MODE: Record<OtpAlgorithm, string> = { sha1: 'SHA1', sha256: 'SHA256', sha512: 'SHA512' };

const sample = fc.record({
  secret: fc.uint8Array({ minLength: 10, maxLength: 64 }),
  counter: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
  seconds: fc.integer({ min: 0, max: 20_000_000_000 }),
  algorithm: fc.constantFrom<OtpAlgorithm>('sha1', 'sha256', 'sha512'),
  digits: fc.constantFrom<6 | 8>(6, 8),
  period: fc.constantFrom(30, 60),
});

test('HOTP and TOTP agree with oathtool on 50 random inputs', (t) => {
  if (!oathtoolInstalled()) {
    t.skip('oathtool not installed');
    return;
  }
  fc.assert(
    fc.property(sample, ({ secret, counter, seconds, algorithm, digits, period }) => {
      const d = String(digits);
      // oathtool's --hotp is SHA-1 only; for SHA-256/512 HOTP use TOTP with a 1 s step at time = counter.
      const hotpArgs =
        algorithm === 'sha1'
          ? ['--hotp', '-c', String(counter), '-d', d, hex(secret)]
          : [`--totp=${MODE[algorithm]}`, '-s', '1s', '-N', `@${counter}`, '-d', d, hex(secret)];
      assert.equal(generateHotp(secret, counter, { digits, algorithm }), oathtool(hotpArgs), 'HOTP');
      const totpArgs = [
        `--totp=${MODE[algorithm]}`,
        '-s',
        `${period}s`,
        '-N',
        `@${seconds}`,
        '-d',
        d,
        hex(secret),
      ];
      assert.equal(
        generateTotp(secret, seconds * 1000, { digits, algorithm, period }),
        oathtool(totpArgs),
        'TOTP',
      );
    }),
    { numRuns: 50 },
  );
});
