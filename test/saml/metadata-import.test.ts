// SP metadata import on metadata we did not write (node-saml's generator; an Adaptive Insights-style generic SP
// inside an EntitiesDescriptor), and the refusals an administrator sees for files that cannot be imported.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import { isCountersignError } from '../../src/core/errors.ts';
import { certificateBody, normalizePem } from '../../src/saml/certificates.ts';
import { importSpMetadata } from '../../src/saml/import-sp-metadata.ts';
import { rsaPair } from './fixture.ts';

let signing: { privateKeyPem: string; certificatePem: string };
let encryption: { privateKeyPem: string; certificatePem: string };

before(async () => {
  [signing, encryption] = await Promise.all([rsaPair('sp.generic.test'), rsaPair('enc.generic.test')]);
});

const refusedWith = (pattern: RegExp) => (error: unknown) =>
  isCountersignError(error, 'IMPORT_FAILED') && pattern.test(error.detail ?? '');

describe('importSpMetadata', () => {
  it("reads node-saml's SP metadata: entity ID, ACS, SLO, the signing certificate (not the encryption one), NameID format", () => {
    const xml = generateServiceProviderMetadata({
      issuer: 'https://generic.test/saml',
      callbackUrl: 'https://generic.test/saml/acs',
      logoutCallbackUrl: 'https://generic.test/saml/slo',
      identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      publicCerts: signing.certificatePem,
      privateKey: signing.privateKeyPem,
      decryptionCert: encryption.certificatePem,
      decryptionPvk: encryption.privateKeyPem,
      wantAssertionsSigned: true,
    });
    const sp = importSpMetadata(xml, { name: 'Generic', attributes: [{ name: 'email', source: 'email' }] });
    assert.equal(sp.entityId, 'https://generic.test/saml');
    assert.equal(sp.name, 'Generic');
    assert.deepEqual(sp.acs, [{ url: 'https://generic.test/saml/acs', index: 1, isDefault: true }]);
    assert.deepEqual(
      sp.slo.map((s) => [s.binding, s.url]),
      [['post', 'https://generic.test/saml/slo']],
    );
    assert.deepEqual(sp.certificates, [normalizePem(signing.certificatePem)]);
    assert.deepEqual(sp.nameId, { format: 'persistent', source: 'userId' });
    assert.equal(sp.wantAuthnRequestsSigned, true);
    assert.deepEqual(sp.attributes, [{ name: 'email', source: 'email' }]);
  });

  it('takes the one SP out of an EntitiesDescriptor, keeps only POST ACS endpoints, and reads Redirect SLO', () => {
    const cert = certificateBody(signing.certificatePem);
    const xml = `<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <md:EntityDescriptor entityID="https://idp.other.test"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
  <md:EntityDescriptor entityID="https://adaptive.test/sp">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
${cert.replace(/(.{64})/g, '$1\n')}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adaptive.test/slo" ResponseLocation="https://adaptive.test/slo/done"/>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://adaptive.test/artifact" index="0"/>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://adaptive.test/acs" index="1" isDefault="true"/>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://adaptive.test/acs2" index="2"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>
</md:EntitiesDescriptor>`;
    const sp = importSpMetadata(xml);
    assert.equal(sp.entityId, 'https://adaptive.test/sp');
    assert.deepEqual(sp.acs, [
      { url: 'https://adaptive.test/acs', index: 1, isDefault: true },
      { url: 'https://adaptive.test/acs2', index: 2, isDefault: false },
    ]);
    assert.deepEqual(sp.slo, [
      {
        binding: 'redirect',
        url: 'https://adaptive.test/slo',
        responseUrl: 'https://adaptive.test/slo/done',
      },
    ]);
    assert.equal(sp.certificates.length, 1);
    assert.equal(sp.nameId.format, 'emailAddress', 'the first format we can issue');
  });

  it('refuses, as IMPORT_FAILED with the reason: a DOCTYPE, non-metadata, no POST ACS, no SAML 2.0, a broken certificate', () => {
    const sp = (inner: string, protocols = 'urn:oasis:names:tc:SAML:2.0:protocol') =>
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://sp.test"><md:SPSSODescriptor protocolSupportEnumeration="${protocols}">${inner}</md:SPSSODescriptor></md:EntityDescriptor>`;
    const acs =
      '<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.test/acs" index="0"/>';
    assert.throws(() => importSpMetadata(`<!DOCTYPE x>${sp(acs)}`), refusedWith(/DOCTYPE/));
    assert.throws(() => importSpMetadata('<html/>'), refusedWith(/not SAML metadata/));
    assert.throws(() => importSpMetadata(sp('')), refusedWith(/no HTTP-POST AssertionConsumerService/));
    assert.throws(
      () => importSpMetadata(sp(acs, 'urn:oasis:names:tc:SAML:1.1:protocol')),
      refusedWith(/SAML 2.0/),
    );
    const badCert =
      '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>';
    assert.throws(() => importSpMetadata(sp(badCert + acs)), refusedWith(/certificate/));
  });
});
