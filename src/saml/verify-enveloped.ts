// Verifies the one enveloped signature of a POST-binding message with the SP's registered certificates, and
// hands back what was signed, re-parsed: the caller reads nothing the signature does not cover.
import type { Document, Element } from '@xmldom/xmldom';
import { serialize } from './dom-build.ts';
import { attribute, childrenNamed, elementChildren, requiredChild } from './dom-read.ts';
import { xmlCrypto } from './libraries.ts';
import { DSIG, NS } from './names.ts';
import { parseXml } from './parse-xml.ts';
import { refuse } from './refusal.ts';
import { ALLOWED_DIGESTS, isAllowedSignatureAlgorithm, verifyingAlgorithms } from './signature-algorithms.ts';

const ALLOWED_TRANSFORMS: ReadonlySet<string> = new Set([DSIG.enveloped, DSIG.excC14n]);

/** The Signature elements anywhere in the document (XSW hides a second one deep inside). */
export function signaturesIn(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagNameNS(NS.dsig, 'Signature'));
}

/** Counts the elements whose ID, Id or id attribute is `id` (xml-crypto resolves references by all three). */
function countIds(doc: Document, id: string): number {
  let count = 0;
  const visit = (element: Element) => {
    if (['ID', 'Id', 'id'].some((name) => element.getAttribute(name) === id)) count++;
    for (const child of elementChildren(element)) visit(child);
  };
  visit(doc.documentElement!);
  return count;
}

/**
 * Checks the signature's form before any cryptography: it is a child of the root, names one Reference to `#`
 * + the root's ID (an ID no other element carries), uses only exclusive c14n and enveloped-signature transforms,
 * and algorithms from the allow-list. Refuses 'signature_shape' or 'signature_algorithm'.
 */
function checkShape(doc: Document, signature: Element): void {
  const root = doc.documentElement!;
  if (signature.parentNode !== root) {
    refuse('signature_shape', 'the signature is not a child of the message root');
  }
  const rootId = attribute(root, 'ID');
  if (rootId === undefined || rootId === '') refuse('signature_shape', 'the signed message has no ID');
  if (countIds(doc, rootId) !== 1) refuse('signature_shape', 'another element carries the message ID');
  const signedInfo = requiredChild(signature, NS.dsig, 'SignedInfo');
  const c14n = requiredChild(signedInfo, NS.dsig, 'CanonicalizationMethod').getAttribute('Algorithm');
  if (c14n !== DSIG.excC14n) refuse('signature_algorithm', `canonicalization ${c14n} is not exclusive c14n`);
  const method = requiredChild(signedInfo, NS.dsig, 'SignatureMethod').getAttribute('Algorithm') ?? '';
  if (!isAllowedSignatureAlgorithm(method)) {
    refuse('signature_algorithm', `signature method ${method} is not allowed`);
  }
  const references = childrenNamed(signedInfo, NS.dsig, 'Reference');
  if (references.length !== 1) refuse('signature_shape', 'the signature must have exactly one reference');
  const reference = references[0]!;
  if (reference.getAttribute('URI') !== `#${rootId}`) {
    refuse('signature_shape', 'the signature does not reference the message root');
  }
  const transforms = requiredChild(reference, NS.dsig, 'Transforms');
  for (const transform of childrenNamed(transforms, NS.dsig, 'Transform')) {
    const algorithm = transform.getAttribute('Algorithm') ?? '';
    if (!ALLOWED_TRANSFORMS.has(algorithm)) {
      refuse('signature_algorithm', `transform ${algorithm} is not allowed`);
    }
  }
  const digest = requiredChild(reference, NS.dsig, 'DigestMethod').getAttribute('Algorithm') ?? '';
  if (!ALLOWED_DIGESTS.has(digest)) refuse('signature_algorithm', `digest ${digest} is not allowed`);
}

/** The canonical signed XML when `certificatePem` verifies the signature, else null. */
function signedBy(xml: string, signature: Element, certificatePem: string): string | null {
  const verifier = new (xmlCrypto().SignedXml)({
    publicCert: certificatePem,
    getCertFromKeyInfo: () => null,
  });
  // Only our allow-list, verified through one function; KeyInfo is never consulted (getCertFromKeyInfo above).
  verifier.SignatureAlgorithms = verifyingAlgorithms();
  try {
    verifier.loadSignature(serialize(signature));
    if (!verifier.checkSignature(xml)) return null;
  } catch {
    return null;
  }
  const signed = verifier.getSignedReferences();
  return signed.length === 1 ? signed[0]! : null;
}

/**
 * For a POST-binding message `xml`, already parsed as `doc`: null when it carries no signature at all; otherwise
 * the document that the one signature covers, verified with one of `certificates` (the SP's registered ones,
 * never KeyInfo). Refuses a second signature anywhere, a signature off the root or referencing anything but the
 * root, algorithms off the allow-list, and a signature no registered certificate verifies.
 */
export function verifyEnveloped(
  xml: string,
  doc: Document,
  certificates: readonly string[],
): Document | null {
  const signatures = signaturesIn(doc);
  if (signatures.length === 0) return null;
  if (signatures.length > 1) refuse('signature_shape', 'the message carries more than one signature');
  const signature = signatures[0]!;
  checkShape(doc, signature);
  if (certificates.length === 0) {
    refuse('signature_invalid', 'the service provider has no registered certificate');
  }
  for (const certificate of certificates) {
    const signed = signedBy(xml, signature, certificate);
    if (signed === null) continue;
    const signedDoc = parseXml(signed);
    const [root, signedRoot] = [doc.documentElement!, signedDoc.documentElement!];
    // The enveloped transform removed the signature; everything else must be the very root we checked.
    if (
      signedRoot.namespaceURI !== root.namespaceURI ||
      signedRoot.localName !== root.localName ||
      signedRoot.getAttribute('ID') !== root.getAttribute('ID') ||
      signaturesIn(signedDoc).length !== 0
    ) {
      refuse('signature_shape', 'the signed content is not the message root');
    }
    return signedDoc;
  }
  return refuse(
    'signature_invalid',
    'no registered certificate of the service provider verifies the signature',
  );
}
