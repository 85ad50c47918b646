// Message-Authenticator (RFC 3579 §3.2): compute, verify, tamper detection, and the reply form.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { AttributeType, stringAttribute } from './attributes.ts';
import {
  computeMessageAuthenticator,
  signMessageAuthenticator,
  verifyMessageAuthenticator,
} from './authenticators.ts';
import { encodePacket } from './packet.ts';
import { buildAccessRequest } from './request.ts';

const SECRET = 'testing123';
const AUTH = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

function request(): Buffer {
  return buildAccessRequest({
    identifier: 42,
    authenticator: AUTH,
    secret: SECRET,
    password: 's3cret',
    attributes: [stringAttribute(AttributeType.UserName, 'alice')],
  });
}

test('the request MAC is HMAC-MD5 over the packet with the MAC field zeroed', () => {
  const packet = request();
  assert.equal(packet[20], AttributeType.MessageAuthenticator);
  const zeroed = Buffer.from(packet);
  zeroed.fill(0, 22, 38);
  const expected = createHmac('md5', SECRET).update(zeroed).digest();
  assert.deepEqual(packet.subarray(22, 38), expected);
  assert.equal(verifyMessageAuthenticator(packet, SECRET), true);
});

test('any tampered byte or a wrong secret fails verification', () => {
  const packet = request();
  assert.equal(verifyMessageAuthenticator(packet, 'testing124'), false);
  for (let index = 0; index < packet.length; index++) {
    const tampered = Buffer.from(packet);
    tampered[index]! ^= 0x01;
    assert.equal(verifyMessageAuthenticator(tampered, SECRET), false, `byte ${index}`);
  }
});

test('no Message-Authenticator, two of them, or a wrong-length one: nothing to verify', () => {
  const none = encodePacket({ code: 1, identifier: 1, authenticator: AUTH, attributes: [] });
  assert.equal(computeMessageAuthenticator(none, SECRET), null);
  assert.equal(verifyMessageAuthenticator(none, SECRET), false);
  const mac = { type: AttributeType.MessageAuthenticator, value: Buffer.alloc(16) };
  const twice = encodePacket({ code: 1, identifier: 1, authenticator: AUTH, attributes: [mac, mac] });
  assert.equal(signMessageAuthenticator(twice, SECRET), false);
  assert.equal(verifyMessageAuthenticator(twice, SECRET), false);
  const short = encodePacket({
    code: 1,
    identifier: 1,
    authenticator: AUTH,
    attributes: [{ type: AttributeType.MessageAuthenticator, value: Buffer.alloc(15) }],
  });
  assert.equal(verifyMessageAuthenticator(short, SECRET), false);
});

test('for replies the Request Authenticator stands in for the authenticator field', () => {
  const reply = encodePacket({
    code: 2,
    identifier: 42,
    authenticator: Buffer.alloc(16, 0x55), // pretend Response Authenticator already written
    attributes: [{ type: AttributeType.MessageAuthenticator, value: Buffer.alloc(16) }],
  });
  assert.ok(signMessageAuthenticator(reply, SECRET, AUTH));
  assert.equal(verifyMessageAuthenticator(reply, SECRET, AUTH), true);
  assert.equal(verifyMessageAuthenticator(reply, SECRET), false, 'the field itself was not what was signed');
});
