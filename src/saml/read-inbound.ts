// The checks every inbound SAML message passes, in order: decode, parse, kind, issuer, signature, destination,
// time, then the caller's own checks, and only then the one-time claim of its ID.
import type { Document, Element } from '@xmldom/xmldom';
import type { Clock } from '../core/clock.ts';
import { type DecodedMessage, decodePost, decodeRedirect, type MessageParameter } from './bindings.ts';
import { attribute, optionalChild, requiredAttribute, textOf } from './dom-read.ts';
import type { IdpSettings } from './idp-settings.ts';
import { type BindingName, NS } from './names.ts';
import { parseXml } from './parse-xml.ts';
import { refuse } from './refusal.ts';
import type { SamlReplayCache } from './replay-cache.ts';
import { parseInstant } from './saml-time.ts';
import { isAllowedSignatureAlgorithm, verifyWithCertificate } from './signature-algorithms.ts';
import type { SpRecord } from './sp-record.ts';
import { signaturesIn, verifyEnveloped } from './verify-enveloped.ts';

/**
 * A message as the HTTP front received it: for the Redirect binding the query string after `?`, exactly as
 * received (never re-encoded: the signature covers those octets); for POST the urlencoded form fields.
 */
export type InboundHttp =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; form: Readonly<Record<string, string | undefined>> };

/** What inbound checks need from the outside. */
export interface InboundDeps {
  idp: IdpSettings;
  /** The registered SP with this entity ID, or null. */
  findSp(entityId: string): Promise<SpRecord | null>;
  replay: SamlReplayCache;
  clock: Clock;
}

/** A message that passed the common checks; `root` is the signed content when it was signed. */
export interface InboundMessage {
  sp: SpRecord;
  root: Element;
  id: string;
  issueInstant: number;
  signed: boolean;
  binding: BindingName;
  relayState: string | undefined;
}

/** What one endpoint expects. */
export interface InboundExpectation {
  parameter: MessageParameter;
  /** The protocol element the root must be (AuthnRequest, LogoutRequest, LogoutResponse). */
  localName: string;
  /** Our endpoint URL the Destination must name. */
  endpoint: string;
  /** Whether an unsigned message from `sp` is refused. */
  requireSignature(sp: SpRecord): boolean;
}

const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

function decode(input: InboundHttp, parameter: MessageParameter): DecodedMessage {
  if (input.binding === 'redirect') return decodeRedirect(input.rawQuery, parameter);
  return decodePost(input.form[parameter], input.form.RelayState, parameter);
}

/** The Issuer's entity ID (core §3.2.1; profiles §4.1.4.1: its Format, if any, is the entity format). */
function issuerOf(root: Element): string {
  const issuer = optionalChild(root, NS.assertion, 'Issuer');
  if (issuer === null) return refuse('unknown_issuer', 'the message has no Issuer');
  const format = attribute(issuer, 'Format');
  if (format !== undefined && format !== ENTITY_FORMAT) {
    refuse('unknown_issuer', 'the Issuer is not an entity ID');
  }
  return textOf(issuer);
}

/** Verifies the signature the binding carries; the document that was signed, or null when unsigned. */
function verifySignature(
  input: InboundHttp,
  decoded: DecodedMessage,
  doc: Document,
  sp: SpRecord,
): Document | null {
  // An SP with no registered certificate cannot have its signatures checked; its messages count as unsigned.
  if (sp.certificates.length === 0) return null;
  if (input.binding === 'post') return verifyEnveloped(decoded.xml, doc, sp.certificates);
  // Bindings §3.4.4.1: on the Redirect binding the signature travels in the query, never in the XML.
  if (signaturesIn(doc).length > 0) {
    refuse('signature_shape', 'a Redirect-binding message carries an XML signature');
  }
  const signature = decoded.redirectSignature;
  if (signature === undefined) return null;
  if (!isAllowedSignatureAlgorithm(signature.sigAlg)) {
    refuse('signature_algorithm', `SigAlg ${signature.sigAlg} is not allowed`);
  }
  const verified = sp.certificates.some((pem) =>
    verifyWithCertificate(signature.sigAlg, signature.signedOctets, signature.signature, pem),
  );
  if (!verified) {
    refuse('signature_invalid', 'no registered certificate of the service provider verifies the signature');
  }
  return doc;
}

/**
 * Runs the common checks on a message from `input`, then `check` (the endpoint's own), then claims the message ID
 * once. Throws SamlRefusal at the first failed check; nothing is claimed for a refused message.
 */
export async function readInbound<T>(
  input: InboundHttp,
  deps: InboundDeps,
  expect: InboundExpectation,
  check: (message: InboundMessage) => T,
): Promise<T> {
  const decoded = decode(input, expect.parameter);
  const doc = parseXml(decoded.xml);
  const parsedRoot = doc.documentElement!;
  if (parsedRoot.namespaceURI !== NS.protocol || parsedRoot.localName !== expect.localName) {
    refuse('unexpected_message', `expected a ${expect.localName}, got <${parsedRoot.localName}>`);
  }
  if (attribute(parsedRoot, 'Version') !== '2.0') refuse('unexpected_message', 'the message is not SAML 2.0');
  const entityId = issuerOf(parsedRoot);
  const sp = await deps.findSp(entityId);
  if (sp === null) refuse('unknown_issuer', `no service provider is registered as '${entityId}'`);

  const signedDoc = verifySignature(input, decoded, doc, sp);
  if (signedDoc === null && expect.requireSignature(sp)) {
    refuse('signature_missing', 'the service provider must sign this message');
  }
  // From here on, only what the signature covers is read.
  const root = (signedDoc ?? doc).documentElement!;
  if (issuerOf(root) !== entityId) refuse('unknown_issuer', 'the signed Issuer differs');

  const destination = attribute(root, 'Destination');
  if (signedDoc !== null && destination === undefined) {
    refuse('destination', 'a signed message must name its Destination');
  }
  if (destination !== undefined && destination !== expect.endpoint) {
    refuse('destination', `the message is for '${destination}', not this endpoint`);
  }

  const id = requiredAttribute(root, 'ID');
  const issueInstant = parseInstant(requiredAttribute(root, 'IssueInstant'), 'IssueInstant');
  const { idp } = deps;
  const now = deps.clock.now();
  if (issueInstant > now + idp.clockSkewMs) refuse('stale', 'IssueInstant is in the future');
  if (issueInstant < now - idp.requestLifetimeMs - idp.clockSkewMs) {
    refuse('stale', 'IssueInstant is too old');
  }

  const message: InboundMessage = {
    sp,
    root,
    id,
    issueInstant,
    signed: signedDoc !== null,
    binding: input.binding,
    relayState: decoded.relayState,
  };
  const result = check(message);
  // Kept until the message would be refused as too old anyway.
  const expiresAt = issueInstant + idp.requestLifetimeMs + idp.clockSkewMs;
  if (!(await deps.replay.claim(`${expect.localName}\n${entityId}\n${id}`, expiresAt))) {
    refuse('replayed', 'this message was accepted before');
  }
  return result;
}
