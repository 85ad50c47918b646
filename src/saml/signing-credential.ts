// The IdP's signing key and certificate: loaded from PEM and checked to belong together before any use.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';

/** What signs our messages, and the certificate service providers verify them with. */
export interface SigningCredential {
  privateKey: KeyObject;
  /** The certificate in PEM, as published in metadata and given to administrators of service providers. */
  certificatePem: string;
  /** When the certificate expires (ms since the epoch); most SPs check it, so operators must renew before. */
  notAfter: number;
}

/** Smallest RSA modulus we sign with (NIST SP 800-131A: 2048 bits through 2030). */
const MIN_RSA_BITS = 2048;

/**
 * Loads an RSA private key and its certificate from PEM. Throws with a plain message when either does not parse,
 * the key is not RSA of at least 2048 bits, or the certificate is not the key's.
 */
export function loadSigningCredential(privateKeyPem: string, certificatePem: string): SigningCredential {
  let privateKey: KeyObject;
  let certificate: X509Certificate;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(
      `saml: the signing key does not parse as a PEM private key (${(error as Error).message})`,
    );
  }
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new Error(`saml: the signing certificate does not parse as PEM (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    // RSA-SHA256 is the one algorithm every service provider verifies (Entra ID among them).
    throw new Error(`saml: the signing key must be RSA but it is ${privateKey.asymmetricKeyType}`);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new Error(`saml: the signing key must have at least ${MIN_RSA_BITS} bits but has ${bits}`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error('saml: the signing certificate does not belong to the signing key');
  }
  return {
    privateKey,
    certificatePem: certificate.toString(),
    notAfter: Date.parse(certificate.validTo),
  };
}
