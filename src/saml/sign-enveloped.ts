// Enveloped XML signatures on our messages: exclusive c14n, RSA-SHA256, the Signature right after the Issuer.
import { xmlCrypto } from './libraries.ts';
import { DSIG } from './names.ts';
import type { SigningCredential } from './signing-credential.ts';

/** One step of an element path: its namespace and local name. */
export type PathStep = readonly [ns: string, localName: string];

/** An absolute XPath from steps we write ourselves (never from input): namespace-exact, prefix-blind. */
export function xpathOf(steps: readonly PathStep[]): string {
  return steps.map(([ns, name]) => `/*[local-name(.)='${name}' and namespace-uri(.)='${ns}']`).join('');
}

/**
 * Signs the element at `path` in `xml` (it must carry an `ID`) with an enveloped signature whose reference is
 * `#ID`, and puts the `<ds:Signature>` right after `after`, its Issuer child: SAML core §5.4.1 and the schema
 * place it there, and some SPs look nowhere else. With `after` null the Signature becomes the first child
 * (metadata §3.1: an EntityDescriptor has no Issuer). Exclusive c14n (§5.4.3) keeps the signed assertion verifiable
 * once embedded in a Response. The certificate goes in KeyInfo as a hint; SPs must verify with the one they hold.
 */
export function signEnveloped(
  xml: string,
  path: readonly PathStep[],
  after: PathStep | null,
  credential: SigningCredential,
): string {
  const signer = new (xmlCrypto().SignedXml)({
    privateKey: credential.privateKey,
    publicCert: credential.certificatePem,
    signatureAlgorithm: DSIG.rsaSha256,
    canonicalizationAlgorithm: DSIG.excC14n,
  });
  signer.addReference({
    xpath: xpathOf(path),
    transforms: [DSIG.enveloped, DSIG.excC14n],
    digestAlgorithm: DSIG.sha256,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location:
      after === null
        ? { reference: xpathOf(path), action: 'prepend' }
        : { reference: xpathOf([...path, after]), action: 'after' },
  });
  return signer.getSignedXml();
}
