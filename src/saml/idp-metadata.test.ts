import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { certificateBody } from './certificates.ts';
import { createSigningCredential } from './create-signing-credential.ts';
import { childrenNamed, requiredChild, textOf } from './dom-read.ts';
import { idpMetadata } from './idp-metadata.ts';
import { defineIdp, type IdpSettings } from './idp-settings.ts';
import { BINDING, NAME_ID_FORMAT, NS } from './names.ts';
import { parseXml } from './parse-xml.ts';
import { loadSigningCredential } from './signing-credential.ts';

let idp: IdpSettings;
let next: string;

before(async () => {
  const [pair, nextPair] = await Promise.all([
    createSigningCredential('idp.test', { bits: 2048 }),
    createSigningCredential('idp.test', { bits: 2048 }),
  ]);
  next = nextPair.certificatePem;
  idp = defineIdp({
    entityId: 'https://idp.test/saml/metadata',
    ssoUrl: 'https://idp.test/saml/sso',
    sloUrl: 'https://idp.test/saml/slo',
    credential: loadSigningCredential(pair.privateKeyPem, pair.certificatePem),
  });
});

describe('idpMetadata', () => {
  it('serves the same bytes for the same settings, signed or not, and other bytes once they change', () => {
    assert.equal(idpMetadata(idp, { signed: true }), idpMetadata(idp, { signed: true }));
    assert.equal(idpMetadata(idp, { signed: false }), idpMetadata(idp, { signed: false }));
    assert.notEqual(
      idpMetadata(idp, { signed: false }),
      idpMetadata({ ...idp, ssoUrl: 'https://idp.test/sso2' }, { signed: false }),
    );
  });

  it('describes both bindings of SSO and SLO, our NameID formats, and the certificates, the next one included', () => {
    const root = parseXml(idpMetadata({ ...idp, publishedCertificates: [next] }, { signed: false }))
      .documentElement!;
    assert.equal(root.getAttribute('entityID'), idp.entityId);
    const descriptor = requiredChild(root, NS.metadata, 'IDPSSODescriptor');
    assert.equal(descriptor.getAttribute('WantAuthnRequestsSigned'), 'false');
    const endpoints = (name: string) =>
      childrenNamed(descriptor, NS.metadata, name).map((e) => [
        e.getAttribute('Binding'),
        e.getAttribute('Location'),
      ]);
    assert.deepEqual(endpoints('SingleSignOnService'), [
      [BINDING.redirect, idp.ssoUrl],
      [BINDING.post, idp.ssoUrl],
    ]);
    assert.deepEqual(endpoints('SingleLogoutService'), [
      [BINDING.redirect, idp.sloUrl],
      [BINDING.post, idp.sloUrl],
    ]);
    assert.deepEqual(
      childrenNamed(descriptor, NS.metadata, 'NameIDFormat').map(textOf),
      Object.values(NAME_ID_FORMAT),
    );
    const certificates = childrenNamed(descriptor, NS.metadata, 'KeyDescriptor').map((key) =>
      textOf(
        requiredChild(
          requiredChild(requiredChild(key, NS.dsig, 'KeyInfo'), NS.dsig, 'X509Data'),
          NS.dsig,
          'X509Certificate',
        ),
      ),
    );
    assert.deepEqual(certificates, [certificateBody(idp.credential.certificatePem), certificateBody(next)]);
  });

  it('puts the signature first when signed (metadata §3.1: an EntityDescriptor has no Issuer)', () => {
    const root = parseXml(idpMetadata(idp, { signed: true, wantAuthnRequestsSigned: true })).documentElement!;
    assert.equal(root.firstChild?.localName, 'Signature');
    assert.equal(
      requiredChild(root, NS.metadata, 'IDPSSODescriptor').getAttribute('WantAuthnRequestsSigned'),
      'true',
    );
  });
});
