// Our IdP metadata (SAML metadata §2.4.3): the same bytes for the same settings, signed or not.
import { createHash } from 'node:crypto';
import { certificateBody } from './certificates.ts';
import { append, newDocument, serializeDocument } from './dom-build.ts';
import type { IdpSettings } from './idp-settings.ts';
import { BINDING, NAME_ID_FORMAT, NS, PREFIX } from './names.ts';
import { signEnveloped } from './sign-enveloped.ts';

/**
 * The EntityDescriptor service providers import. No validUntil and an ID derived from the content, so the URL
 * serves identical bytes until the settings change (RSA PKCS#1 v1.5 signatures are deterministic too). With
 * `signed`, an enveloped signature is its first child (§3.1). During a rollover the published certificates are
 * listed after the current one, so SPs learn the next key before it signs. `wantAuthnRequestsSigned` only
 * advertises a wish (some SPs sign only when asked); whether an unsigned request is refused is set per SP.
 */
export function idpMetadata(
  idp: IdpSettings,
  options: { signed: boolean; wantAuthnRequestsSigned?: boolean },
): string {
  const root = newDocument(NS.metadata, `${PREFIX.metadata}:EntityDescriptor`, {
    [PREFIX.metadata]: NS.metadata,
    [PREFIX.dsig]: NS.dsig,
  });
  root.setAttribute('entityID', idp.entityId);
  const certificates = [idp.credential.certificatePem, ...idp.publishedCertificates];
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([idp.entityId, idp.ssoUrl, idp.sloUrl, certificates]))
    .digest('hex');
  root.setAttribute('ID', `_${fingerprint.slice(0, 40)}`);
  const descriptor = append(root, NS.metadata, 'md:IDPSSODescriptor', {
    protocolSupportEnumeration: NS.protocol,
    WantAuthnRequestsSigned: String(options.wantAuthnRequestsSigned ?? false),
  });
  for (const pem of certificates) {
    const key = append(descriptor, NS.metadata, 'md:KeyDescriptor', { use: 'signing' });
    const info = append(key, NS.dsig, 'ds:KeyInfo');
    const data = append(info, NS.dsig, 'ds:X509Data');
    append(data, NS.dsig, 'ds:X509Certificate', {}, certificateBody(pem));
  }
  for (const binding of [BINDING.redirect, BINDING.post]) {
    append(descriptor, NS.metadata, 'md:SingleLogoutService', { Binding: binding, Location: idp.sloUrl });
  }
  for (const format of Object.values(NAME_ID_FORMAT))
    append(descriptor, NS.metadata, 'md:NameIDFormat', {}, format);
  for (const binding of [BINDING.redirect, BINDING.post]) {
    append(descriptor, NS.metadata, 'md:SingleSignOnService', { Binding: binding, Location: idp.ssoUrl });
  }
  const xml = serializeDocument(root);
  return options.signed ? signEnveloped(xml, [[NS.metadata, 'EntityDescriptor']], null, idp.credential) : xml;
}
