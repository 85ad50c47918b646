// Builds signed Access-Accept / Access-Reject / Access-Challenge replies, laid out to resist BlastRADIUS.
import { AttributeType } from './attributes.ts';
import { signMessageAuthenticator, signResponse } from './authenticators.ts';
import {
  type Attribute,
  AUTHENTICATOR_LENGTH,
  encodePacket,
  PacketCode,
  type RadiusPacket,
} from './packet.ts';

export type ReplyCode = 'accept' | 'reject' | 'challenge';

const CODES: Record<ReplyCode, number> = {
  accept: PacketCode.AccessAccept,
  reject: PacketCode.AccessReject,
  challenge: PacketCode.AccessChallenge,
};

/** RFC 2865 §5.44 and RFC 3579 §3: the only attributes an Access-Reject may carry (besides ours). */
const REJECT_ALLOWED: ReadonlySet<number> = new Set([AttributeType.ReplyMessage, AttributeType.EapMessage]);

/**
 * Encodes and signs a reply to `request`. Layout: Message-Authenticator first (BlastRADIUS, CVE-2024-3596:
 * an attacker cannot prefix chosen bytes before the MAC), then the request's Proxy-State attributes copied
 * unmodified and in order (RFC 2865 §5.33), then `attributes`. Any Message-Authenticator or Proxy-State in
 * `attributes` is ignored, and a reject keeps only Reply-Message and EAP-Message. The Message-Authenticator is
 * computed first (with the Request Authenticator in place), then the Response Authenticator over the result.
 * Throws RadiusEncodeError when the reply would not fit in a packet.
 */
export function buildReply(
  request: RadiusPacket,
  code: ReplyCode,
  attributes: readonly Attribute[],
  secret: string,
): Buffer {
  const proxyStates = request.attributes.filter((attribute) => attribute.type === AttributeType.ProxyState);
  const body = attributes.filter(
    (attribute) =>
      attribute.type !== AttributeType.MessageAuthenticator &&
      attribute.type !== AttributeType.ProxyState &&
      (code !== 'reject' || REJECT_ALLOWED.has(attribute.type)),
  );
  const reply = encodePacket({
    code: CODES[code],
    identifier: request.identifier,
    authenticator: request.authenticator,
    attributes: [
      { type: AttributeType.MessageAuthenticator, value: Buffer.alloc(AUTHENTICATOR_LENGTH) },
      ...proxyStates,
      ...body,
    ],
  });
  signMessageAuthenticator(reply, secret);
  return signResponse(reply, request.authenticator, secret);
}
