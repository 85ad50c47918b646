// The signature algorithms we accept from service providers, with the key type each needs: one verification path for both bindings.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { SignatureAlgorithm } from 'xml-crypto';
import { DSIG } from './names.ts';

interface AllowedAlgorithm {
  hash: 'sha256' | 'sha512';
  keyType: 'rsa' | 'ec';
}

/**
 * The allow-list (SigAlg on the Redirect binding, SignatureMethod on POST): RSA-SHA256, RSA-SHA512 and
 * ECDSA-SHA256. SHA-1 is refused (deprecated for signatures by NIST SP 800-131A since 2013).
 */
export const ALLOWED_SIGNATURE_ALGORITHMS: Readonly<Record<string, AllowedAlgorithm>> = {
  [DSIG.rsaSha256]: { hash: 'sha256', keyType: 'rsa' },
  [DSIG.rsaSha512]: { hash: 'sha512', keyType: 'rsa' },
  [DSIG.ecdsaSha256]: { hash: 'sha256', keyType: 'ec' },
};

/** Digest algorithms allowed in a POST-binding Reference. */
export const ALLOWED_DIGESTS: ReadonlySet<string> = new Set([DSIG.sha256, DSIG.sha512]);

/** True when `uri` is on the allow-list. */
export function isAllowedSignatureAlgorithm(uri: string): boolean {
  return Object.hasOwn(ALLOWED_SIGNATURE_ALGORITHMS, uri);
}

/**
 * Verifies `signature` over `data` with the public key of `certificatePem` under algorithm `uri`. False for an
 * algorithm off the list and for a key of the wrong type (an RSA SigAlg with an EC certificate: no algorithm
 * confusion). ECDSA signatures are r‖s (RFC 4051 §3.4.1), not DER.
 */
export function verifyWithCertificate(
  uri: string,
  data: Buffer,
  signature: Buffer,
  certificatePem: string,
): boolean {
  const algorithm = Object.hasOwn(ALLOWED_SIGNATURE_ALGORITHMS, uri)
    ? ALLOWED_SIGNATURE_ALGORITHMS[uri]
    : undefined;
  if (algorithm === undefined) return false;
  let key: KeyObject;
  try {
    key = createPublicKey(certificatePem);
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== algorithm.keyType) return false;
  try {
    return algorithm.keyType === 'ec'
      ? verify(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(algorithm.hash, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * xml-crypto signature algorithms that verify through `verifyWithCertificate`, so POST-binding signatures obey
 * the same allow-list and key-type rule as Redirect-binding ones. They verify only; signing uses xml-crypto's own.
 */
export function verifyingAlgorithms(): Record<string, new () => SignatureAlgorithm> {
  const algorithms: Record<string, new () => SignatureAlgorithm> = {};
  for (const uri of Object.keys(ALLOWED_SIGNATURE_ALGORITHMS)) {
    algorithms[uri] = class {
      getAlgorithmName = () => uri;
      getSignature(): string {
        throw new Error('saml: verifying algorithms do not sign');
      }
      verifySignature(material: string, key: unknown, signatureValue: string): boolean {
        if (typeof key !== 'string') return false;
        return verifyWithCertificate(
          uri,
          Buffer.from(material, 'utf8'),
          Buffer.from(signatureValue, 'base64'),
          key,
        );
      }
    } as unknown as new () => SignatureAlgorithm;
  }
  return algorithms;
}
