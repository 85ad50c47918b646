// Debian's xmlsec1 (libxmlsec1, C, not JavaScript) verifies our signatures independently: responses, assertions,
// logout requests and metadata, with our certificate given on the command line; tampered and re-signed copies fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildLogoutRequest } from '../../src/saml/build-logout.ts';
import { buildLoginResponse } from '../../src/saml/build-response.ts';
import { idpMetadata } from '../../src/saml/idp-metadata.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { DSIG, NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import { loadSigningCredential } from '../../src/saml/signing-credential.ts';
import { defineSp, type SpRecord } from '../../src/saml/sp-record.ts';
import {
  aliceSignIn,
  ecPair,
  fromBase64,
  inboundDeps,
  random,
  realClock,
  rsaPair,
  testIdp,
  toBase64,
} from './fixture.ts';

function xmlsec1Installed(): boolean {
  try {
    execFileSync('xmlsec1', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = xmlsec1Installed() ? false : 'xmlsec1 is not installed (Debian package xmlsec1)';
const ASSERTION_SIGNATURE = "//*[local-name()='Assertion']/*[local-name()='Signature']";
const NOW = Date.UTC(2025, 5, 2, 12, 0, 0);

let dir: string;
let idp: IdpSettings;
let certFile: string;
let attackerIdp: IdpSettings;
let sp: SpRecord;
let serial = 0;

/**
 * Runs `xmlsec1 --verify` on `xml` with our certificate as the only key, IDs declared as SAML declares them, and
 * the signature at `nodeXpath` (default: the first in the document). True when xmlsec1 says OK.
 */
function xmlsec1Verifies(xml: string, nodeXpath?: string): boolean {
  const file = join(dir, `message-${++serial}.xml`);
  writeFileSync(file, xml);
  const args = ['--verify', '--pubkey-cert-pem', certFile];
  for (const id of [
    'urn:oasis:names:tc:SAML:2.0:protocol:Response',
    'urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest',
    'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
    'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor',
  ]) {
    args.push('--id-attr:ID', id);
  }
  if (nodeXpath !== undefined) args.push('--node-xpath', nodeXpath);
  try {
    execFileSync('xmlsec1', [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'countersign-xmlsec1-'));
  let pair: Awaited<ReturnType<typeof testIdp>>['pair'];
  ({ idp, pair } = await testIdp());
  certFile = join(dir, 'idp-cert.pem');
  writeFileSync(certFile, pair.certificatePem);
  const attacker = await rsaPair('idp.example.test');
  attackerIdp = {
    ...idp,
    credential: loadSigningCredential(attacker.privateKeyPem, attacker.certificatePem),
  };
  sp = defineSp({
    entityId: 'https://sp.example.test',
    acs: ['https://sp.example.test/acs'],
    slo: [
      { binding: 'post', url: 'https://sp.example.test/slo', responseUrl: 'https://sp.example.test/slo' },
    ],
    nameId: { format: 'emailAddress' },
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const response = (settings: IdpSettings, signResponse: boolean) =>
  buildLoginResponse({
    idp: settings,
    sp: { ...sp, signResponse },
    signIn: aliceSignIn(NOW),
    answering: undefined,
    now: NOW,
    random,
  }).xml;

describe('xmlsec1 verifies our signatures', { skip }, () => {
  it('verifies the assertion signature of a Response', () => {
    assert.equal(xmlsec1Verifies(response(idp, false), ASSERTION_SIGNATURE), true);
  });

  it('verifies both signatures of a signed Response (the Response one first, then the assertion one)', () => {
    const xml = response(idp, true);
    assert.equal(xmlsec1Verifies(xml), true);
    assert.equal(xmlsec1Verifies(xml, ASSERTION_SIGNATURE), true);
  });

  it('verifies our signed metadata and a POST-binding LogoutRequest', () => {
    assert.equal(xmlsec1Verifies(idpMetadata(idp, { signed: true })), true);
    const sent = buildLogoutRequest({
      idp,
      sp,
      nameId: { format: NAME_ID_FORMAT.emailAddress, value: 'alice@example.test' },
      sessionIndex: '_s',
      now: NOW,
      random,
    });
    assert.ok(sent !== null && sent.message.binding === 'post');
    assert.equal(xmlsec1Verifies(fromBase64(sent.message.value)), true);
  });

  it('fails a Response whose NameID was changed after signing, under both signatures', () => {
    const xml = response(idp, true).replace(
      '>alice@example.test</saml:NameID>',
      '>mallory@example.test</saml:NameID>',
    );
    assert.match(xml, /mallory/);
    assert.equal(xmlsec1Verifies(xml), false);
    assert.equal(xmlsec1Verifies(xml, ASSERTION_SIGNATURE), false);
  });

  it('fails a Response signed with another key, even with that key in KeyInfo', () => {
    const xml = response(attackerIdp, true);
    assert.equal(xmlsec1Verifies(xml), false);
    assert.equal(xmlsec1Verifies(xml, ASSERTION_SIGNATURE), false);
  });
});

/** An AuthnRequest template with an empty enveloped Signature for xmlsec1 to fill in (`--sign`). */
function template(entityId: string, signatureMethod: string, digest: string, issueInstant: string): string {
  return (
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ' +
    `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_xmlsec1-${++serial}" Version="2.0" ` +
    `IssueInstant="${issueInstant}" Destination="${idp.ssoUrl}"><saml:Issuer>${entityId}</saml:Issuer>` +
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>' +
    `<ds:CanonicalizationMethod Algorithm="${DSIG.excC14n}"/><ds:SignatureMethod Algorithm="${signatureMethod}"/>` +
    `<ds:Reference URI="#_xmlsec1-${serial}"><ds:Transforms><ds:Transform Algorithm="${DSIG.enveloped}"/>` +
    `<ds:Transform Algorithm="${DSIG.excC14n}"/></ds:Transforms><ds:DigestMethod Algorithm="${digest}"/>` +
    '<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature></samlp:AuthnRequest>'
  );
}

/** xmlsec1 signs `xml` with `keyPem`; the signed document. */
function xmlsec1Signs(xml: string, keyPem: string): string {
  const tmpl = join(dir, `template-${++serial}.xml`);
  const key = join(dir, `key-${serial}.pem`);
  writeFileSync(tmpl, xml);
  writeFileSync(key, keyPem, { mode: 0o600 });
  const args = [
    '--sign',
    '--privkey-pem',
    key,
    '--id-attr:ID',
    'urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest',
  ];
  return execFileSync('xmlsec1', [...args, tmpl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('xmlsec1 signs POST AuthnRequests that we verify', { skip }, () => {
  it('accepts ECDSA-SHA256 and RSA-SHA512 signatures made by xmlsec1, and refuses them once tampered', async () => {
    const ec = ecPair('sp.ec.test');
    const rsa = await rsaPair('sp.rsa.test');
    const ecSp = defineSp({
      entityId: 'https://sp.ec.test',
      acs: ['https://sp.ec.test/acs'],
      certificates: [ec.certificatePem],
    });
    const rsaSp = defineSp({
      entityId: 'https://sp.rsa.test',
      acs: ['https://sp.rsa.test/acs'],
      certificates: [rsa.certificatePem],
    });
    const clock = realClock();
    const deps = inboundDeps(idp, [ecSp, rsaSp], clock);
    const instant = new Date(clock.now()).toISOString();
    const read = async (xml: string) => {
      const result = await readAuthnRequest({ binding: 'post', form: { SAMLRequest: toBase64(xml) } }, deps);
      return result.ok ? (result.value.signed ? 'accepted, signed' : 'accepted, unsigned') : result.reason;
    };
    const ecSigned = xmlsec1Signs(
      template('https://sp.ec.test', DSIG.ecdsaSha256, DSIG.sha256, instant),
      ec.privateKeyPem,
    );
    const rsaSigned = xmlsec1Signs(
      template('https://sp.rsa.test', DSIG.rsaSha512, DSIG.sha512, instant),
      rsa.privateKeyPem,
    );
    assert.equal(
      await read(ecSigned.replace('Version="2.0"', 'Version="2.0" ForceAuthn="true"')),
      'signature_invalid',
    );
    assert.equal(
      await read(rsaSigned.replace('Version="2.0"', 'Version="2.0" ForceAuthn="true"')),
      'signature_invalid',
    );
    assert.equal(await read(ecSigned), 'accepted, signed');
    assert.equal(await read(rsaSigned), 'accepted, signed');
  });
});
