// Reply layout: Message-Authenticator first, Proxy-State copied in order, both authenticators valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttributeType, integerAttribute, replyMessageAttributes, stringAttribute } from './attributes.ts';
import { verifyMessageAuthenticator, verifyResponseAuthenticator } from './authenticators.ts';
import { decodePacket, PacketCode, type RadiusPacket } from './packet.ts';
import { buildReply } from './reply.ts';

const SECRET = 'shared';
const request: RadiusPacket = {
  code: PacketCode.AccessRequest,
  identifier: 77,
  authenticator: Buffer.alloc(16, 3),
  attributes: [
    { type: AttributeType.ProxyState, value: Buffer.from('first') },
    stringAttribute(AttributeType.UserName, 'alice'),
    { type: AttributeType.ProxyState, value: Buffer.from('second') },
  ],
};

function decode(bytes: Buffer) {
  const result = decodePacket(bytes);
  assert.ok(result.ok);
  return result.packet;
}

test('Message-Authenticator is first, then Proxy-State in order, then the handler attributes', () => {
  const bytes = buildReply(request, 'accept', [integerAttribute(AttributeType.SessionTimeout, 60)], SECRET);
  const reply = decode(bytes);
  assert.equal(reply.code, PacketCode.AccessAccept);
  assert.equal(reply.identifier, 77);
  assert.deepEqual(
    reply.attributes.map((a) => a.type),
    [
      AttributeType.MessageAuthenticator,
      AttributeType.ProxyState,
      AttributeType.ProxyState,
      AttributeType.SessionTimeout,
    ],
  );
  assert.equal(reply.attributes[1]!.value.toString(), 'first');
  assert.equal(reply.attributes[2]!.value.toString(), 'second');
});

test('both authenticators verify against the request, and not with another secret', () => {
  const bytes = buildReply(request, 'challenge', [stringAttribute(AttributeType.State, 'abc')], SECRET);
  assert.equal(decode(bytes).code, PacketCode.AccessChallenge);
  assert.equal(verifyMessageAuthenticator(bytes, SECRET, request.authenticator), true);
  assert.equal(verifyResponseAuthenticator(bytes, request.authenticator, SECRET), true);
  assert.equal(verifyResponseAuthenticator(bytes, request.authenticator, 'other'), false);
});

test('handler-supplied Message-Authenticator / Proxy-State are ignored; a reject keeps only Reply-Message', () => {
  const bytes = buildReply(
    request,
    'reject',
    [
      { type: AttributeType.MessageAuthenticator, value: Buffer.alloc(16, 9) },
      { type: AttributeType.ProxyState, value: Buffer.from('forged') },
      integerAttribute(AttributeType.SessionTimeout, 60),
      ...replyMessageAttributes('Denied'),
    ],
    SECRET,
  );
  const reply = decode(bytes);
  assert.equal(reply.code, PacketCode.AccessReject);
  assert.deepEqual(
    reply.attributes.map((a) => a.type),
    [
      AttributeType.MessageAuthenticator,
      AttributeType.ProxyState,
      AttributeType.ProxyState,
      AttributeType.ReplyMessage,
    ],
  );
  assert.equal(verifyMessageAuthenticator(bytes, SECRET, request.authenticator), true);
});
