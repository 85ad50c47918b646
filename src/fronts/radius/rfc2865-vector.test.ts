// RFC 2865 §7.1 "User Telnet to Specified Host": PAP hiding and the Response Authenticator against the RFC's bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttributeType, getInteger, getIpv4, getString } from './attributes.ts';
import { computeResponseAuthenticator, verifyResponseAuthenticator } from './authenticators.ts';
import { decodePacket, encodePacket, PacketCode } from './packet.ts';
import { hidePassword, unhidePassword } from './password.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 2865 §7.1, secret "xyzzy5461", from NAS 192.168.1.16 port 3.
const SECRET = 'xyzzy5461';
const REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
  98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
  93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8
  01 10 05 06 00 00 00 03`);
const ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
  9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
  0e 06 c0 a8 01 03`);
const REQUEST_AUTHENTICATOR = hex('0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a');
const HIDDEN_PASSWORD = hex('0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee');

test('decodes the RFC 2865 §7.1 Access-Request', () => {
  const result = decodePacket(REQUEST);
  assert.ok(result.ok);
  const { packet } = result;
  assert.equal(packet.code, PacketCode.AccessRequest);
  assert.equal(packet.identifier, 0);
  assert.deepEqual(packet.authenticator, REQUEST_AUTHENTICATOR);
  assert.equal(getString(packet.attributes, AttributeType.UserName), 'nemo');
  assert.equal(getIpv4(packet.attributes, AttributeType.NasIpAddress), '192.168.1.16');
  assert.equal(getInteger(packet.attributes, AttributeType.NasPort), 3);
  assert.deepEqual(encodePacket(packet), REQUEST);
});

test('PAP hiding of "arctangent" gives the RFC 2865 §7.1 User-Password bytes', () => {
  assert.deepEqual(hidePassword('arctangent', SECRET, REQUEST_AUTHENTICATOR), HIDDEN_PASSWORD);
  const unhidden = unhidePassword(HIDDEN_PASSWORD, SECRET, REQUEST_AUTHENTICATOR);
  assert.ok(unhidden.ok);
  assert.equal(unhidden.password.toString('utf8'), 'arctangent');
});

test('the Response Authenticator matches the RFC 2865 §7.1 Access-Accept', () => {
  const expected = ACCEPT.subarray(4, 20);
  assert.deepEqual(computeResponseAuthenticator(ACCEPT, REQUEST_AUTHENTICATOR, SECRET), expected);
  assert.equal(verifyResponseAuthenticator(ACCEPT, REQUEST_AUTHENTICATOR, SECRET), true);
  assert.equal(verifyResponseAuthenticator(ACCEPT, REQUEST_AUTHENTICATOR, 'xyzzy5462'), false);
});
