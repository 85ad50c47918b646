// X.509 certificates as SAML carries them: base64 DER in XML, PEM on our side, and checks that they parse.
import { X509Certificate } from 'node:crypto';

/** The base64 DER body of a PEM certificate, as `<ds:X509Certificate>` holds it. */
export function certificateBody(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}

/**
 * A PEM certificate from base64 DER (white space allowed, as metadata wraps it). Throws when the bytes are not an
 * X.509 certificate.
 */
export function pemFromBody(body: string): string {
  const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  return new X509Certificate(der).toString();
}

/** A PEM certificate re-encoded from its parsed form: one canonical text per certificate. */
export function normalizePem(pem: string): string {
  return new X509Certificate(pem).toString();
}
