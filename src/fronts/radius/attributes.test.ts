// Attribute getters and builders, including Reply-Message splitting at 253 bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttributeType,
  getAllBytes,
  getInteger,
  getIpv4,
  getString,
  integerAttribute,
  ipv4Attribute,
  RadiusAttributeError,
  replyMessageAttributes,
  stringAttribute,
  vendorSpecificAttribute,
} from './attributes.ts';

test('builders and getters agree', () => {
  const attributes = [
    stringAttribute(AttributeType.UserName, 'alice'),
    integerAttribute(AttributeType.SessionTimeout, 3600),
    ipv4Attribute(AttributeType.FramedIpAddress, '10.1.2.3'),
  ];
  assert.equal(getString(attributes, AttributeType.UserName), 'alice');
  assert.equal(getInteger(attributes, AttributeType.SessionTimeout), 3600);
  assert.equal(getIpv4(attributes, AttributeType.FramedIpAddress), '10.1.2.3');
  assert.equal(getString(attributes, AttributeType.State), null);
  assert.equal(getInteger([stringAttribute(5, 'abc')], 5), null, 'a 3-byte value is not an integer');
});

test('builders refuse values that cannot go on the wire', () => {
  assert.throws(() => stringAttribute(AttributeType.ReplyMessage, ''), RadiusAttributeError);
  assert.throws(() => stringAttribute(AttributeType.ReplyMessage, 'x'.repeat(254)), /1\.\.253/);
  assert.throws(() => integerAttribute(AttributeType.SessionTimeout, -1), RadiusAttributeError);
  assert.throws(() => ipv4Attribute(AttributeType.FramedIpAddress, '::1'), /IPv4/);
});

test('Vendor-Specific carries Vendor-Id, vendor type and length (RFC 2865 §5.26)', () => {
  const attribute = vendorSpecificAttribute(9, 1, Buffer.from('shell:priv-lvl=15'));
  assert.equal(attribute.type, 26);
  assert.deepEqual(attribute.value.subarray(0, 6), Buffer.from([0, 0, 0, 9, 1, 19]));
  assert.equal(attribute.value.subarray(6).toString(), 'shell:priv-lvl=15');
});

test('a Reply-Message longer than 253 bytes is split, in order, without cutting characters', () => {
  const text = `${'a'.repeat(252)}é${'b'.repeat(300)}`;
  const parts = replyMessageAttributes(text);
  assert.equal(parts.length, 3);
  for (const part of parts) assert.ok(part.value.length <= 253);
  assert.equal(parts[0]!.value.length, 252, 'the two-byte é moves to the next attribute');
  assert.equal(
    getAllBytes(parts, AttributeType.ReplyMessage)
      .map((v) => v.toString('utf8'))
      .join(''),
    text,
  );
  assert.deepEqual(replyMessageAttributes(''), []);
  assert.equal(replyMessageAttributes('x'.repeat(253)).length, 1);
});
