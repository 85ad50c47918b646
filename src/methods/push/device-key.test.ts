// Device signatures arrive as IEEE P1363 (r || s) and are verified as DER: the conversion must keep every one.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import type { PublicJwk } from '../../device-protocol/messages.ts';
import { p1363ToDer, verifyDeviceSignature } from './device-key.ts';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;

test('p1363ToDer: leading zero bytes are dropped, and a high first byte gets one zero byte', () => {
  const r = Buffer.alloc(32, 0x11);
  r[0] = 0;
  r[1] = 0;
  const s = Buffer.alloc(32, 0x22);
  s[0] = 0x80;
  const der = p1363ToDer(Buffer.concat([r, s]));
  const expected = Buffer.concat([
    Buffer.from([0x30, 2 + 30 + 2 + 33, 0x02, 30]),
    r.subarray(2),
    Buffer.from([0x02, 33, 0x00]),
    s,
  ]);
  assert.deepEqual(der, expected);
  // Zero stays one zero byte, as DER requires.
  assert.deepEqual(p1363ToDer(Buffer.alloc(64)), Buffer.from([0x30, 6, 0x02, 1, 0, 0x02, 1, 0]));
});

test('every P1363 signature verifies once converted; any other text or signature does not', () => {
  // 2,000 signatures: about 8 of them have r or s with a leading zero byte, and half a high first byte.
  for (let i = 0; i < 2_000; i++) {
    const text = `request ${i}`;
    const p1363 = sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.ok(verify('sha256', Buffer.from(text), publicKey, p1363ToDer(p1363)), `signature ${i}`);
    if (i % 100 !== 0) continue;
    const encoded = p1363.toString('base64url');
    assert.equal(verifyDeviceSignature(jwk, text, encoded), true);
    assert.equal(verifyDeviceSignature(jwk, `${text}!`, encoded), false);
    const flipped = Buffer.from(p1363);
    flipped[40]! ^= 1;
    assert.equal(verifyDeviceSignature(jwk, text, flipped.toString('base64url')), false);
  }
});
