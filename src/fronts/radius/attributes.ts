// The RADIUS attributes Countersign reads or writes (RFC 2865 §5, RFC 3579 §3), with typed getters and builders.
import { isIPv4 } from 'node:net';
import { type Attribute, MAX_ATTRIBUTE_VALUE_LENGTH } from './packet.ts';

/** Attribute type numbers (RFC 2865 §5, RFC 2869 §5.11, RFC 3579 §3). */
export const AttributeType = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedIpAddress: 8,
  FilterId: 11,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  NasPortType: 61,
  EapMessage: 79,
  MessageAuthenticator: 80,
} as const;

/** Thrown when an attribute cannot be built from the given value. */
export class RadiusAttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RadiusAttributeError';
  }
}

/** The value of the first attribute of `type`, or null. */
export function getBytes(attributes: readonly Attribute[], type: number): Buffer | null {
  return attributes.find((attribute) => attribute.type === type)?.value ?? null;
}

/** Every value of `type`, in packet order. */
export function getAllBytes(attributes: readonly Attribute[], type: number): Buffer[] {
  return attributes.filter((attribute) => attribute.type === type).map((attribute) => attribute.value);
}

/** The first attribute of `type` as UTF-8 text (RFC 2865 §5 "text"), or null. */
export function getString(attributes: readonly Attribute[], type: number): string | null {
  return getBytes(attributes, type)?.toString('utf8') ?? null;
}

/** The first attribute of `type` as a 32-bit unsigned integer; null when absent or not 4 bytes long. */
export function getInteger(attributes: readonly Attribute[], type: number): number | null {
  const value = getBytes(attributes, type);
  return value?.length === 4 ? value.readUInt32BE(0) : null;
}

/** The first attribute of `type` as a dotted IPv4 address; null when absent or not 4 bytes long. */
export function getIpv4(attributes: readonly Attribute[], type: number): string | null {
  const value = getBytes(attributes, type);
  return value?.length === 4 ? Array.from(value).join('.') : null;
}

/** An attribute with raw bytes as its value (1..253 bytes; RFC 2865 §5 forbids empty values). */
export function bytesAttribute(type: number, value: Uint8Array): Attribute {
  if (!Number.isInteger(type) || type < 1 || type > 255) {
    throw new RadiusAttributeError(`attribute type must be 1..255, got ${type}`);
  }
  if (value.length === 0 || value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    throw new RadiusAttributeError(`attribute ${type} value must be 1..253 bytes, got ${value.length}`);
  }
  return { type, value: Buffer.from(value) };
}

/** An attribute holding UTF-8 text. */
export function stringAttribute(type: number, value: string): Attribute {
  return bytesAttribute(type, Buffer.from(value, 'utf8'));
}

/** An attribute holding a 32-bit unsigned integer (RFC 2865 §5 "integer"). */
export function integerAttribute(type: number, value: number): Attribute {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RadiusAttributeError(`attribute ${type} integer must be 0..4294967295, got ${value}`);
  }
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytesAttribute(type, bytes);
}

/** An attribute holding an IPv4 address (RFC 2865 §5 "address"). */
export function ipv4Attribute(type: number, address: string): Attribute {
  if (!isIPv4(address))
    throw new RadiusAttributeError(`attribute ${type} needs an IPv4 address, got "${address}"`);
  return bytesAttribute(type, Buffer.from(address.split('.').map(Number)));
}

/** RFC 2865 §5.26 Vendor-Specific: Vendor-Id (4 bytes) then one vendor sub-attribute (type, length, value). */
export function vendorSpecificAttribute(vendorId: number, vendorType: number, value: Uint8Array): Attribute {
  if (!Number.isInteger(vendorId) || vendorId < 0 || vendorId > 0xffffff) {
    throw new RadiusAttributeError(`Vendor-Id must be 0..16777215, got ${vendorId}`);
  }
  if (!Number.isInteger(vendorType) || vendorType < 0 || vendorType > 255) {
    throw new RadiusAttributeError(`vendor type must be 0..255, got ${vendorType}`);
  }
  if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH - 6) {
    throw new RadiusAttributeError(`vendor ${vendorId} attribute ${vendorType} value exceeds 247 bytes`);
  }
  const bytes = Buffer.alloc(6 + value.length);
  bytes.writeUInt32BE(vendorId, 0);
  bytes[4] = vendorType;
  bytes[5] = value.length + 2;
  Buffer.from(value).copy(bytes, 6);
  return bytesAttribute(AttributeType.VendorSpecific, bytes);
}

/**
 * Reply-Message attributes for `text`: RFC 2865 §5.18 allows several, shown in order, so text longer than
 * 253 bytes is split, at UTF-8 character boundaries so each piece stays valid text.
 */
export function replyMessageAttributes(text: string): Attribute[] {
  const attributes: Attribute[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (chunkBytes + size > MAX_ATTRIBUTE_VALUE_LENGTH) {
      attributes.push(stringAttribute(AttributeType.ReplyMessage, chunk));
      chunk = '';
      chunkBytes = 0;
    }
    chunk += character;
    chunkBytes += size;
  }
  if (chunk !== '') attributes.push(stringAttribute(AttributeType.ReplyMessage, chunk));
  return attributes;
}
