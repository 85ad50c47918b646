import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smsSize } from './sms-segments.ts';

test('GSM-7: 160 septets in one segment, 153 per part beyond', () => {
  assert.deepEqual(smsSize('x'.repeat(160)), { encoding: 'gsm7', units: 160, segments: 1 });
  assert.deepEqual(smsSize('x'.repeat(161)), { encoding: 'gsm7', units: 161, segments: 2 });
  assert.deepEqual(smsSize('x'.repeat(306)), { encoding: 'gsm7', units: 306, segments: 2 });
  assert.deepEqual(smsSize('x'.repeat(307)), { encoding: 'gsm7', units: 307, segments: 3 });
  assert.deepEqual(smsSize('Société: ÄÖÑÜ ß'), { encoding: 'gsm7', units: 15, segments: 1 });
});

test('extension characters take two septets', () => {
  assert.deepEqual(smsSize('€'.repeat(80)), { encoding: 'gsm7', units: 160, segments: 1 });
  assert.deepEqual(smsSize(`${'€'.repeat(80)}[`), { encoding: 'gsm7', units: 162, segments: 2 });
});

test('anything else is UCS-2: 70 units, 67 per part beyond', () => {
  assert.deepEqual(smsSize('Код'.padEnd(70, 'ж')), { encoding: 'ucs2', units: 70, segments: 1 });
  assert.deepEqual(smsSize('Код'.padEnd(71, 'ж')), { encoding: 'ucs2', units: 71, segments: 2 });
  assert.equal(smsSize('code ✓').encoding, 'ucs2');
  assert.equal(smsSize('😀').units, 2, 'a character outside the BMP is two UTF-16 units');
});
