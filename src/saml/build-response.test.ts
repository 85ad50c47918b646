import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Element } from '@xmldom/xmldom';
import { secureRandom } from '../core/clock.ts';
import { buildLoginResponse, buildStatusResponse } from './build-response.ts';
import { createSigningCredential } from './create-signing-credential.ts';
import { childrenNamed, elementChildren, requiredChild } from './dom-read.ts';
import { defineIdp, type IdpSettings } from './idp-settings.ts';
import { AUTHN_CONTEXT, BEARER, NS, STATUS } from './names.ts';
import { parseXml } from './parse-xml.ts';
import type { SamlSignIn } from './sign-in.ts';
import { loadSigningCredential } from './signing-credential.ts';
import { defineSp, type SpRecord } from './sp-record.ts';

const NOW = Date.UTC(2025, 5, 2, 12, 0, 0);
let idp: IdpSettings;
let sp: SpRecord;

before(async () => {
  const pair = await createSigningCredential('idp.test', { bits: 2048 });
  idp = defineIdp({
    entityId: 'https://idp.test/saml',
    ssoUrl: 'https://idp.test/saml/sso',
    sloUrl: 'https://idp.test/saml/slo',
    credential: loadSigningCredential(pair.privateKeyPem, pair.certificatePem),
  });
  sp = defineSp({
    entityId: 'https://sp.test',
    acs: ['https://sp.test/acs'],
    nameId: { format: 'unspecified', source: 'username' },
    attributes: [
      { name: 'mail', source: 'email', friendlyName: 'mail' },
      { name: 'displayName', source: 'realName' },
      { name: 'memberOf', source: 'groups' },
    ],
    authnContext: {
      default: AUTHN_CONTEXT.passwordProtectedTransport,
      secondFactor: AUTHN_CONTEXT.microsoftMultipleAuthn,
    },
  });
});

function signIn(overrides: Partial<SamlSignIn['subject']> = {}, secondFactor = false): SamlSignIn {
  return {
    subject: {
      userId: 'DU1',
      username: 'alice',
      email: 'alice@example.test',
      realName: 'Alice "A" & Co <admin>',
      groups: ['g1', 'g2'],
      attributes: {},
      ...overrides,
    },
    authnInstant: NOW - 60_000,
    sessionIndex: '_sess',
    secondFactor,
  };
}

const build = (s: SamlSignIn, target: SpRecord = sp, answering?: { id: string }) =>
  buildLoginResponse({
    idp,
    sp: target,
    signIn: s,
    answering: answering && { id: answering.id, acs: target.acs[0]! },
    now: NOW,
    random: secureRandom,
  });

const names = (element: Element) => elementChildren(element).map((child) => child.localName);

describe('buildLoginResponse', () => {
  it('lays the Response and Assertion out in schema order, each Signature right after its Issuer', () => {
    const response = parseXml(build(signIn(), { ...sp, signResponse: true }).xml).documentElement!;
    assert.deepEqual(names(response), ['Issuer', 'Signature', 'Status', 'Assertion']);
    const assertion = requiredChild(response, NS.assertion, 'Assertion');
    assert.deepEqual(names(assertion), [
      'Issuer',
      'Signature',
      'Subject',
      'Conditions',
      'AuthnStatement',
      'AttributeStatement',
    ]);
    assert.equal(requiredChild(assertion, NS.dsig, 'Signature').namespaceURI, NS.dsig);
  });

  it('dates, addresses and binds the assertion: Recipient, InResponseTo, NotOnOrAfter, audience, AuthnInstant', () => {
    const xml = build(signIn(), sp, { id: '_req1' }).xml;
    const response = parseXml(xml).documentElement!;
    assert.equal(response.getAttribute('Destination'), 'https://sp.test/acs');
    assert.equal(response.getAttribute('InResponseTo'), '_req1');
    const assertion = requiredChild(response, NS.assertion, 'Assertion');
    const subject = requiredChild(assertion, NS.assertion, 'Subject');
    const confirmation = requiredChild(subject, NS.assertion, 'SubjectConfirmation');
    assert.equal(confirmation.getAttribute('Method'), BEARER);
    const data = requiredChild(confirmation, NS.assertion, 'SubjectConfirmationData');
    assert.equal(data.getAttribute('Recipient'), 'https://sp.test/acs');
    assert.equal(data.getAttribute('InResponseTo'), '_req1');
    assert.equal(data.getAttribute('NotOnOrAfter'), '2025-06-02T12:05:00Z');
    const conditions = requiredChild(assertion, NS.assertion, 'Conditions');
    assert.equal(conditions.getAttribute('NotBefore'), '2025-06-02T11:57:00Z');
    assert.equal(conditions.getAttribute('NotOnOrAfter'), '2025-06-02T12:05:00Z');
    assert.match(xml, /<saml:Audience>https:\/\/sp.test<\/saml:Audience>/);
    const authn = requiredChild(assertion, NS.assertion, 'AuthnStatement');
    assert.equal(authn.getAttribute('AuthnInstant'), '2025-06-02T11:59:00Z');
    assert.equal(authn.getAttribute('SessionIndex'), '_sess');
  });

  it('leaves InResponseTo out entirely for IdP-initiated SSO', () => {
    assert.doesNotMatch(build(signIn()).xml, /InResponseTo/);
  });

  it('tells the caller the NameID it sent, for the SSO session and a later LogoutRequest', () => {
    assert.deepEqual(build(signIn()).nameId, {
      format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      value: 'alice',
    });
  });

  it('puts values in as text, never as markup: a NameID that looks like XML stays one string', () => {
    const evil = 'alice</saml:NameID><saml:NameID>admin';
    const xml = build(signIn({ username: evil })).xml;
    const assertion = requiredChild(parseXml(xml).documentElement!, NS.assertion, 'Assertion');
    const nameIds = childrenNamed(requiredChild(assertion, NS.assertion, 'Subject'), NS.assertion, 'NameID');
    assert.equal(nameIds.length, 1);
    assert.equal(nameIds[0]!.textContent, evil);
    assert.match(xml, /<saml:AttributeValue>Alice "A" &amp; Co &lt;admin&gt;<\/saml:AttributeValue>/);
  });

  it('asserts the second-factor class only when a second factor was used', () => {
    assert.match(build(signIn({}, true)).xml, /multipleauthn/);
    assert.doesNotMatch(build(signIn({}, false)).xml, /multipleauthn/);
  });

  it('leaves out attributes without a value, and the whole statement when none has one', () => {
    const xml = build(signIn({ email: null, realName: null, groups: [] })).xml;
    assert.doesNotMatch(xml, /AttributeStatement/);
    const some = build(signIn({ email: null })).xml;
    assert.doesNotMatch(some, /Name="mail"/);
    assert.match(
      some,
      /<saml:AttributeValue>g1<\/saml:AttributeValue><saml:AttributeValue>g2<\/saml:AttributeValue>/,
    );
  });

  it('refuses, with a SamlBuildError, values XML cannot carry and values the SP needs but the user lacks', () => {
    const isBuildError = (problem: string) => (error: Error) =>
      error.name === 'SamlBuildError' && (error as Error & { problem: string }).problem === problem;
    assert.throws(() => build(signIn({ username: 'al\u0001ice' })), isBuildError('not_xml_text'));
    assert.throws(() => build(signIn({ realName: 'A\uFFFE' })), isBuildError('not_xml_text'));
    const emailSp = defineSp({
      entityId: 'https://sp.test',
      acs: ['https://sp.test/acs'],
      nameId: { format: 'emailAddress' },
    });
    assert.throws(() => build(signIn({ email: null }), emailSp), isBuildError('missing_value'));
    assert.throws(() => build(signIn({ email: 'not-an-address' }), emailSp), isBuildError('missing_value'));
    const required = { ...sp, attributes: [{ name: 'mail', source: 'email' as const, required: true }] };
    assert.throws(() => build(signIn({ email: null }), required), isBuildError('missing_value'));
  });
});

describe('buildStatusResponse', () => {
  it('is a signed Response with the status codes and no assertion', () => {
    const { xml, assertionId } = buildStatusResponse({
      idp,
      sp,
      answering: { id: '_req', acs: sp.acs[0]! },
      code: STATUS.responder,
      subCode: STATUS.noPassive,
      message: 'no session',
      now: NOW,
      random: secureRandom,
    });
    assert.equal(assertionId, undefined);
    const response = parseXml(xml).documentElement!;
    assert.deepEqual(names(response), ['Issuer', 'Signature', 'Status']);
    assert.match(
      xml,
      /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoPassive"\/><\/samlp:StatusCode><samlp:StatusMessage>no session<\/samlp:StatusMessage>/,
    );
  });
});
