// Tests for TOTP against the RFC 6238 Appendix B table (errata seeds for SHA-256/512).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateTotp, totpStep } from './totp.ts';
import type { OtpAlgorithm } from './types.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

// RFC 6238 Appendix B with errata 2866: each algorithm uses a seed of its own hash length.
const SEEDS: Record<OtpAlgorithm, Uint8Array> = {
  sha1: ascii('12345678901234567890'),
  sha256: ascii('12345678901234567890123456789012'),
  sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

const TABLE: { time: number; step: bigint; codes: Record<OtpAlgorithm, string> }[] = [
  { time: 59, step: 0x1n, codes: { sha1: '94287082', sha256: '46119246', sha512: '90693936' } },
  { time: 1111111109, step: 0x23523ecn, codes: { sha1: '07081804', sha256: '68084774', sha512: '25091201' } },
  { time: 1111111111, step: 0x23523edn, codes: { sha1: '14050471', sha256: '67062674', sha512: '99943326' } },
  { time: 1234567890, step: 0x273ef07n, codes: { sha1: '89005924', sha256: '91819424', sha512: '93441116' } },
  { time: 2000000000, step: 0x3f940aan, codes: { sha1: '69279037', sha256: '90698825', sha512: '38618901' } },
  {
    time: 20000000000,
    step: 0x27bc86aan,
    codes: { sha1: '65353130', sha256: '77737706', sha512: '47863826' },
  },
];

test('computes the RFC 6238 Appendix B time steps', () => {
  for (const row of TABLE) assert.equal(totpStep(row.time * 1000, 30), row.step);
});

test('matches the whole RFC 6238 Appendix B table for SHA-1, SHA-256 and SHA-512', () => {
  for (const row of TABLE) {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      const code = generateTotp(SEEDS[algorithm], row.time * 1000, { digits: 8, algorithm, period: 30 });
      assert.equal(code, row.codes[algorithm], `T=${row.time} ${algorithm}`);
    }
  }
});

test('totpStep honours T0 and sub-second times', () => {
  assert.equal(totpStep(29_999, 30), 0n);
  assert.equal(totpStep(30_000, 30), 1n);
  assert.equal(totpStep(90_000, 30, 30), 2n);
  assert.equal(totpStep(120_000, 60), 2n);
});

test('totpStep rejects a non-positive or fractional period', () => {
  assert.throws(() => totpStep(0, 0), RangeError);
  assert.throws(() => totpStep(0, 1.5), RangeError);
  assert.throws(() => totpStep(Number.NaN, 30), RangeError);
});
