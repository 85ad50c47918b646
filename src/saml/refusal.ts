// Why an inbound SAML message was refused: one typed reason per check, with a detail for logs and the error page.

/**
 * Every reason a message can be refused for. A front answers all of them with an error page (HTTP 400): none of
 * them may send anything to an ACS URL, because the request could not be trusted (SAML profiles §4.1.3.5 leaves
 * the IdP free to answer an unverified request with nothing).
 */
export const REFUSAL_REASONS = [
  /** Not base64, not DEFLATE, not UTF-8, not well-formed XML, too large, or a required element is missing. */
  'malformed',
  /** A DOCTYPE (entity expansion, external entities) or an entity declaration. */
  'doctype',
  /** A processing instruction other than the leading XML declaration. */
  'processing_instruction',
  /** The root element is not the message this endpoint takes, or its Version is not 2.0. */
  'unexpected_message',
  /** No Issuer, or an Issuer that is not a registered service provider. */
  'unknown_issuer',
  /** Destination is not this endpoint (required on signed messages: bindings §3.4.5.2, §3.5.5.2). */
  'destination',
  /** IssueInstant outside the clock-skew window, or the message's own NotOnOrAfter has passed. */
  'stale',
  /** The message's ID was accepted before. */
  'replayed',
  /** The service provider requires signed messages, and this one is not signed. */
  'signature_missing',
  /** The signature does not verify with the service provider's registered certificate. */
  'signature_invalid',
  /** SigAlg, SignatureMethod, DigestMethod or a transform outside the allow-list. */
  'signature_algorithm',
  /** More than one signature, one not on the root, one referencing anything but the root, or duplicate IDs. */
  'signature_shape',
  /** The requested AssertionConsumerServiceURL or index is not one registered for this service provider. */
  'acs_not_registered',
  /** The requested protocol binding is not HTTP-POST. */
  'binding_not_supported',
  /** A LogoutResponse that answers no LogoutRequest of ours. */
  'in_response_to',
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Thrown by every inbound check; the reader functions turn it into a `{ ok: false }` result. */
export class SamlRefusal extends Error {
  readonly reason: RefusalReason;
  readonly detail: string;
  constructor(reason: RefusalReason, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'SamlRefusal';
    this.reason = reason;
    this.detail = detail;
  }
}

/** Throws a SamlRefusal: shorthand for checks written as expressions. */
export function refuse(reason: RefusalReason, detail: string): never {
  throw new SamlRefusal(reason, detail);
}

/** What a reader returns: the accepted message, or why it was refused. */
export type ReadResult<T> = { ok: true; value: T } | { ok: false; reason: RefusalReason; detail: string };

/** Runs `read`, turning a SamlRefusal into `{ ok: false }`; any other error is a bug and propagates. */
export async function asResult<T>(read: () => Promise<T>): Promise<ReadResult<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof SamlRefusal) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}
