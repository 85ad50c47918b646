// Packet framing: length rules of RFC 2865 §3, malformed attributes, and property tests on random input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type Attribute,
  decodePacket,
  encodePacket,
  findAttributeValueOffset,
  RadiusEncodeError,
} from './packet.ts';

const AUTH = Buffer.alloc(16, 0xab);
const sample = () =>
  encodePacket({
    code: 1,
    identifier: 9,
    authenticator: AUTH,
    attributes: [{ type: 1, value: Buffer.from('bob') }],
  });

test('bytes past the Length field are ignored (RFC 2865 §3 padding)', () => {
  const padded = Buffer.concat([sample(), Buffer.from([1, 2, 3, 4])]);
  const result = decodePacket(padded);
  assert.ok(result.ok);
  assert.equal(result.packet.raw.length, 25);
  assert.deepEqual(result.packet.attributes, [{ type: 1, value: Buffer.from('bob') }]);
});

test('rejects a datagram shorter than its Length field', () => {
  const result = decodePacket(sample().subarray(0, 24));
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : '', /exceeds the datagram/);
});

test('rejects lengths outside 20..4096 and short datagrams', () => {
  const tooShort = sample();
  tooShort.writeUInt16BE(19, 2);
  assert.equal(decodePacket(tooShort).ok, false);
  const tooLong = Buffer.alloc(5000);
  tooLong.writeUInt16BE(4097, 2);
  assert.equal(decodePacket(tooLong).ok, false);
  assert.equal(decodePacket(Buffer.alloc(19)).ok, false);
});

test('rejects attributes with length < 2 or running past the end', () => {
  const zero = sample();
  zero[21] = 0;
  assert.match(reasonOf(zero), /length 0 < 2/);
  const overrun = sample();
  overrun[21] = 6;
  assert.match(reasonOf(overrun), /overruns/);
  const dangling = Buffer.concat([sample(), Buffer.from([5])]);
  dangling.writeUInt16BE(26, 2);
  assert.match(reasonOf(dangling), /truncated attribute header/);
});

test('encode refuses values over 253 bytes and packets over 4096 bytes', () => {
  const big = (length: number): Attribute => ({ type: 18, value: Buffer.alloc(length) });
  assert.throws(
    () => encodePacket({ code: 2, identifier: 0, authenticator: AUTH, attributes: [big(254)] }),
    RadiusEncodeError,
  );
  const many = Array.from({ length: 17 }, () => big(253));
  assert.throws(
    () => encodePacket({ code: 2, identifier: 0, authenticator: AUTH, attributes: many }),
    /4096/,
  );
  assert.throws(
    () => encodePacket({ code: 256, identifier: 0, authenticator: AUTH, attributes: [] }),
    /code/,
  );
});

test('findAttributeValueOffset reports absent (-1) and repeated (-2) attributes', () => {
  const packet = encodePacket({
    code: 1,
    identifier: 0,
    authenticator: AUTH,
    attributes: [
      { type: 1, value: Buffer.from('a') },
      { type: 80, value: Buffer.alloc(16) },
    ],
  });
  assert.equal(findAttributeValueOffset(packet, 80), 25);
  assert.equal(findAttributeValueOffset(packet, 2), -1);
  const twice = encodePacket({
    code: 1,
    identifier: 0,
    authenticator: AUTH,
    attributes: [
      { type: 1, value: Buffer.from('a') },
      { type: 1, value: Buffer.from('b') },
    ],
  });
  assert.equal(findAttributeValueOffset(twice, 1), -2);
});

test('issue 15: property: any datagram decodes exactly when its framing is sound, to the bytes it came from', () => {
  // Random bytes, and real packets with padding and one byte changed (often an attribute's own length, to a
  // boundary value), so both answers are drawn often.
  const mangled = fc
    .tuple(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 })), {
        maxLength: 6,
      }),
      fc.uint8Array({ maxLength: 8 }),
      fc.option(
        fc.record({
          at: fc.nat(),
          lengthByte: fc.boolean(),
          value: fc.oneof(fc.constantFrom(0, 1, 2, 3, 255), fc.integer({ min: 0, max: 255 })),
        }),
      ),
    )
    .map(([attributes, padding, change]) => {
      const packet = encodePacket({
        code: 1,
        identifier: 7,
        authenticator: AUTH,
        attributes: attributes.map(([type, value]) => ({ type, value: Buffer.from(value) })),
      });
      const datagram = Buffer.concat([packet, padding]);
      // Where each attribute's length octet sits (RFC 2865 §5: type, length, value).
      const lengthOctets: number[] = [];
      for (let offset = 20; offset < packet.length; offset += packet[offset + 1]!)
        lengthOctets.push(offset + 1);
      if (change) {
        const at =
          change.lengthByte && lengthOctets.length > 0
            ? lengthOctets[change.at % lengthOctets.length]!
            : change.at % datagram.length;
        datagram[at] = change.value;
      }
      return new Uint8Array(datagram);
    });
  let decoded = 0;
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), mangled), (bytes) => {
      const result = decodePacket(bytes);
      const length = soundLength(Buffer.from(bytes));
      if (length === null) {
        assert.equal(result.ok, false);
        assert.ok(!result.ok && result.reason.length > 0);
        return;
      }
      decoded++;
      assert.ok(result.ok, !result.ok ? result.reason : '');
      const framed = Buffer.from(bytes).subarray(0, length);
      assert.deepEqual(result.packet.raw, framed);
      assert.deepEqual(encodePacket(result.packet), framed);
    }),
    { numRuns: 3000 },
  );
  assert.ok(decoded > 300, `only ${decoded} datagrams decoded: the property tested little`);
});

/** RFC 2865 §3 and §5 read independently: the Length when header and attribute chain are sound, else null. */
function soundLength(bytes: Buffer): number | null {
  if (bytes.length < 20) return null;
  const length = bytes.readUInt16BE(2);
  if (length < 20 || length > 4096 || length > bytes.length) return null;
  let offset = 20;
  while (offset < length) {
    const attributeLength = bytes[offset + 1];
    if (attributeLength === undefined || offset + 1 >= length || attributeLength < 2) return null;
    offset += attributeLength;
  }
  return offset === length ? length : null;
}

test('property: random header with a consistent length field decodes or gives a reason', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 20, maxLength: 300 }), (bytes) => {
      const datagram = Buffer.from(bytes);
      datagram.writeUInt16BE(datagram.length, 2);
      const result = decodePacket(datagram);
      if (result.ok) assert.deepEqual(encodePacket(result.packet), datagram);
      else assert.ok(result.reason.length > 0);
    }),
    { numRuns: 2000 },
  );
});

const attributeArb = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 253 }))
  .map(([type, bytes]): Attribute => ({ type, value: Buffer.from(bytes) }));

test('property: encode then decode round-trips', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(attributeArb, { maxLength: 15 }),
      (code, identifier, authenticator, attributes) => {
        const packet = { code, identifier, authenticator: Buffer.from(authenticator), attributes };
        const encoded = encodePacket(packet);
        const decoded = decodePacket(encoded);
        assert.ok(decoded.ok);
        const { raw, ...rest } = decoded.packet;
        assert.deepEqual(rest, packet);
        assert.deepEqual(raw, encoded);
      },
    ),
  );
});

function reasonOf(bytes: Buffer): string {
  const result = decodePacket(bytes);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.reason;
}
