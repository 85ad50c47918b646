// Tests for HOTP against RFC 4226 Appendix D.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHotp } from './hotp.ts';

const SECRET = new TextEncoder().encode('12345678901234567890');

// RFC 4226 Appendix D: HOTP values for counters 0..9.
const APPENDIX_D = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

test('matches all ten RFC 4226 Appendix D values', () => {
  APPENDIX_D.forEach((expected, counter) => {
    assert.equal(generateHotp(SECRET, BigInt(counter), { digits: 6, algorithm: 'sha1' }), expected);
  });
});

test('zero-pads and honours 7 and 8 digits', () => {
  // RFC 6238 Appendix B, T = 0x23523EC (time 1111111109): 8-digit code with a leading zero.
  assert.equal(generateHotp(SECRET, 0x23523ecn, { digits: 8, algorithm: 'sha1' }), '07081804');
  assert.equal(generateHotp(SECRET, 0x23523ecn, { digits: 7, algorithm: 'sha1' }), '7081804');
  assert.equal(generateHotp(SECRET, 0x23523ecn, { digits: 6, algorithm: 'sha1' }), '081804');
});

test('rejects counters outside the unsigned 64-bit range', () => {
  assert.throws(() => generateHotp(SECRET, -1n, { digits: 6, algorithm: 'sha1' }), RangeError);
  assert.throws(() => generateHotp(SECRET, 1n << 64n, { digits: 6, algorithm: 'sha1' }), RangeError);
});
