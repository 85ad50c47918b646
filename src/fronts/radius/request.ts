// Builds Access-Requests and Status-Servers (client side): used by tests and health checks, and by any future RADIUS upstream.
import { AttributeType, bytesAttribute } from './attributes.ts';
import { signMessageAuthenticator } from './authenticators.ts';
import { type Attribute, AUTHENTICATOR_LENGTH, encodePacket, PacketCode } from './packet.ts';
import { hidePassword } from './password.ts';

export interface AccessRequestOptions {
  /** Access-Request (default), or Status-Server (RFC 5997: no password, Message-Authenticator required). */
  code?: typeof PacketCode.AccessRequest | typeof PacketCode.StatusServer;
  identifier: number;
  /** 16 random bytes (RFC 2865 §3: the Request Authenticator must be unpredictable). */
  authenticator: Uint8Array;
  secret: string;
  /** Hidden into a User-Password attribute placed after `attributes`. */
  password?: string | Uint8Array;
  attributes?: readonly Attribute[];
  /** Put a Message-Authenticator first (default true). */
  messageAuthenticator?: boolean;
}

/** Encodes an Access-Request; throws RadiusEncodeError / RadiusPasswordError on unrepresentable input. */
export function buildAccessRequest(options: AccessRequestOptions): Buffer {
  const authenticator = Buffer.from(options.authenticator);
  const attributes: Attribute[] = [];
  const withMac = options.messageAuthenticator ?? true;
  if (withMac) {
    attributes.push({ type: AttributeType.MessageAuthenticator, value: Buffer.alloc(AUTHENTICATOR_LENGTH) });
  }
  attributes.push(...(options.attributes ?? []));
  if (options.password !== undefined) {
    const hidden = hidePassword(options.password, options.secret, authenticator);
    attributes.push(bytesAttribute(AttributeType.UserPassword, hidden));
  }
  const packet = encodePacket({
    code: options.code ?? PacketCode.AccessRequest,
    identifier: options.identifier,
    authenticator,
    attributes,
  });
  if (withMac) signMessageAuthenticator(packet, options.secret);
  return packet;
}
