// Tests for RFC 4648 base32 encoding/decoding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Base32Error, decodeBase32, encodeBase32 } from './base32.ts';

// RFC 4648 §10 test vectors.
const VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

test('encodes the RFC 4648 §10 vectors', () => {
  for (const [plain, encoded] of VECTORS) {
    assert.equal(encodeBase32(new TextEncoder().encode(plain)), encoded);
  }
});

test('encodes without padding on request', () => {
  assert.equal(encodeBase32(new TextEncoder().encode('foobar'), { pad: false }), 'MZXW6YTBOI');
});

test('decodes the RFC 4648 §10 vectors', () => {
  for (const [plain, encoded] of VECTORS) {
    assert.equal(new TextDecoder().decode(decodeBase32(encoded)), plain);
  }
});

test('decoding is case-insensitive and ignores spaces and padding', () => {
  assert.equal(new TextDecoder().decode(decodeBase32('mzxw 6ytb oi')), 'foobar');
  assert.equal(new TextDecoder().decode(decodeBase32('MzXw6YtBoI======')), 'foobar');
});

test('decoding rejects characters outside the alphabet with their position', () => {
  for (const bad of ['MZXW1', 'MZXW8', 'MZ-XW', 'MZXW\n']) {
    assert.throws(
      () => decodeBase32(bad),
      (err: unknown) => err instanceof Base32Error && /invalid base32 character/.test(err.message),
    );
  }
  assert.throws(() => decodeBase32('AB0C'), { name: 'Base32Error', message: /"0" at position 3/ });
});

test('decode(encode(x)) round-trips for any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, pad) => {
      assert.deepEqual(decodeBase32(encodeBase32(bytes, { pad })), bytes);
    }),
  );
});
