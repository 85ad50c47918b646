// RADIUS packet framing (RFC 2865 §3, §5): bytes <-> code, identifier, authenticator and attribute list.

/** RFC 2865 §3 packet codes (and RFC 2866 accounting, RFC 5997 Status-Server) that we recognise. */
export const PacketCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccountingResponse: 5,
  AccessChallenge: 11,
  StatusServer: 12,
} as const;

/** RFC 2865 §3: "The minimum length is 20 and maximum length is 4096." */
export const MIN_PACKET_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const HEADER_LENGTH = 20;
export const AUTHENTICATOR_LENGTH = 16;
/** RFC 2865 §5: an attribute's value is at most 253 octets (length field 255 minus type and length). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 253;

/** One attribute as it travels on the wire: type and raw value. */
export interface Attribute {
  type: number;
  value: Buffer;
}

/** A RADIUS packet; `authenticator` is the 16-octet Request or Response Authenticator. */
export interface RadiusPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
}

/** A packet decoded from a datagram, with the exact bytes it covered (needed to check authenticators). */
export interface DecodedPacket extends RadiusPacket {
  raw: Buffer;
}

export type DecodeResult = { ok: true; packet: DecodedPacket } | { ok: false; reason: string };

/** Thrown by encodePacket when the packet cannot be represented on the wire. */
export class RadiusEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RadiusEncodeError';
  }
}

/** Decodes one datagram; never throws, a malformed packet yields `{ ok: false, reason }`. */
export function decodePacket(datagram: Uint8Array): DecodeResult {
  const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  if (bytes.length < MIN_PACKET_LENGTH) {
    return { ok: false, reason: `datagram is ${bytes.length} bytes, shorter than the 20-byte RADIUS header` };
  }
  const length = bytes.readUInt16BE(2);
  if (length < MIN_PACKET_LENGTH || length > MAX_PACKET_LENGTH) {
    return { ok: false, reason: `length field ${length} is outside 20..4096` };
  }
  // RFC 2865 §3: octets beyond Length are padding and ignored; a datagram shorter than Length is discarded.
  if (length > bytes.length) {
    return { ok: false, reason: `length field ${length} exceeds the datagram's ${bytes.length} bytes` };
  }
  const raw = bytes.subarray(0, length);
  const attributes: Attribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) {
      return { ok: false, reason: `truncated attribute header at offset ${offset}` };
    }
    const type = raw[offset]!;
    const attributeLength = raw[offset + 1]!;
    if (attributeLength < 2) {
      return {
        ok: false,
        reason: `attribute type ${type} at offset ${offset} has length ${attributeLength} < 2`,
      };
    }
    if (offset + attributeLength > length) {
      return {
        ok: false,
        reason: `attribute type ${type} at offset ${offset} (length ${attributeLength}) overruns the packet`,
      };
    }
    attributes.push({ type, value: Buffer.from(raw.subarray(offset + 2, offset + attributeLength)) });
    offset += attributeLength;
  }
  return {
    ok: true,
    packet: {
      code: raw[0]!,
      identifier: raw[1]!,
      authenticator: Buffer.from(raw.subarray(4, HEADER_LENGTH)),
      attributes,
      raw: Buffer.from(raw),
    },
  };
}

/** Encodes a packet; throws RadiusEncodeError on an out-of-range field or when it exceeds 4096 bytes. */
export function encodePacket(packet: RadiusPacket): Buffer {
  checkOctet('code', packet.code);
  checkOctet('identifier', packet.identifier);
  if (packet.authenticator.length !== AUTHENTICATOR_LENGTH) {
    throw new RadiusEncodeError(`authenticator must be 16 bytes, got ${packet.authenticator.length}`);
  }
  let length = HEADER_LENGTH;
  for (const [index, attribute] of packet.attributes.entries()) {
    checkOctet(`attribute #${index} type`, attribute.type);
    if (attribute.value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      throw new RadiusEncodeError(
        `attribute #${index} (type ${attribute.type}) value is ${attribute.value.length} bytes, more than 253`,
      );
    }
    length += 2 + attribute.value.length;
  }
  if (length > MAX_PACKET_LENGTH) {
    throw new RadiusEncodeError(`packet would be ${length} bytes, more than the RADIUS maximum of 4096`);
  }
  const out = Buffer.alloc(length);
  out[0] = packet.code;
  out[1] = packet.identifier;
  out.writeUInt16BE(length, 2);
  packet.authenticator.copy(out, 4);
  let offset = HEADER_LENGTH;
  for (const attribute of packet.attributes) {
    out[offset] = attribute.type;
    out[offset + 1] = attribute.value.length + 2;
    attribute.value.copy(out, offset + 2);
    offset += attribute.value.length + 2;
  }
  return out;
}

/** Byte offset of the value of the single attribute of `type` in an encoded packet, or -1; -2 if repeated. */
export function findAttributeValueOffset(raw: Buffer, type: number): number {
  let found = -1;
  let offset = HEADER_LENGTH;
  while (offset + 2 <= raw.length) {
    const attributeLength = raw[offset + 1]!;
    if (attributeLength < 2) return -1;
    if (raw[offset] === type) {
      if (found !== -1) return -2;
      found = offset + 2;
    }
    offset += attributeLength;
  }
  return found;
}

function checkOctet(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new RadiusEncodeError(`${field} must be an integer 0..255, got ${value}`);
  }
}
