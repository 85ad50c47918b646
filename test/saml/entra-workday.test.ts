// The two shapes of service provider the seed needs: Microsoft Entra ID (Office 365) federation and a Workday
// tenant typed in by hand. node-saml plays each SP with its settings, and checks what it receives.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { ManualClock } from '../../src/core/clock.ts';
import { buildLoginResponse, buildStatusResponse } from '../../src/saml/build-response.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { AUTHN_CONTEXT, NAME_ID_FORMAT, STATUS } from '../../src/saml/names.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import type { InboundDeps } from '../../src/saml/read-inbound.ts';
import { ENTRA_ACS_URL, ENTRA_ENTITY_ID, entraIdSp, workdaySp } from '../../src/saml/sp-presets.ts';
import type { SpRecord } from '../../src/saml/sp-record.ts';
import {
  aliceSignIn,
  formFields,
  IDP_ENTITY_ID,
  inboundDeps,
  random,
  realClock,
  SSO_URL,
  testIdp,
  toBase64,
} from './fixture.ts';

const WORKDAY_ID = 'http://www.workday.com/acme';
const WORKDAY_ACS = 'https://wd5.myworkday.com/acme/login-saml.flex';

let idp: IdpSettings;
let idpCert: string;
let entra: SpRecord;
let workday: SpRecord;
let clock: ManualClock;
let deps: InboundDeps;

before(async () => {
  const ours = await testIdp();
  idp = ours.idp;
  idpCert = ours.pair.certificatePem;
  entra = entraIdSp();
  workday = workdaySp({ entityId: WORKDAY_ID, acsUrl: WORKDAY_ACS });
  clock = realClock();
  deps = inboundDeps(idp, [entra, workday], clock);
});

/** An AuthnRequest in the shape Entra ID sends (Microsoft's published sample): unsigned, ACS by index. */
function entraRequest(id: string, extra = ''): string {
  const xml =
    `<samlp:AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ID="${id}" ` +
    `IssueInstant="${new Date(clock.now()).toISOString().replace('.000', '')}" Version="2.0" ` +
    'AssertionConsumerServiceIndex="0" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${ENTRA_ENTITY_ID}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="${NAME_ID_FORMAT.persistent}"/>${extra}</samlp:AuthnRequest>`;
  return `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}&RelayState=office`;
}

/** node-saml set up as Entra ID would be: its audience, its ACS, persistent NameIDs. */
const entraAsSp = () =>
  new SAML({
    issuer: ENTRA_ENTITY_ID,
    audience: ENTRA_ENTITY_ID,
    callbackUrl: ENTRA_ACS_URL,
    idpCert,
    idpIssuer: IDP_ENTITY_ID,
    identifierFormat: NAME_ID_FORMAT.persistent,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
  });

const classRef = (assertionXml: string) => /<saml:AuthnContextClassRef>([^<]+)</.exec(assertionXml)?.[1];

describe('an Entra ID (Office 365) shaped SP', () => {
  it('accepts the request Entra sends, and answers with ImmutableID, IDPEmail and multipleauthn after MFA', async () => {
    const read = await readAuthnRequest({ binding: 'redirect', rawQuery: entraRequest('_entra-1') }, deps);
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.acs.url, ENTRA_ACS_URL);
    assert.equal(read.value.signed, false);
    assert.equal(
      read.value.statusProblem,
      undefined,
      'the persistent NameIDPolicy is the one we issue to Entra',
    );
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp: entra,
      signIn: aliceSignIn(now, true),
      answering: read.value,
      now,
      random,
    });
    const { profile } = await entraAsSp().validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'aGVsbG8gd29ybGQ=', 'NameID = the ImmutableID');
    assert.equal(profile?.nameIDFormat, NAME_ID_FORMAT.persistent);
    assert.equal(profile?.IDPEmail, 'alice@example.test', 'IDPEmail = the UPN');
    assert.match(response.xml, /<saml:Audience>urn:federation:MicrosoftOnline<\/saml:Audience>/);
    assert.equal(classRef(profile!.getAssertionXml!()), AUTHN_CONTEXT.microsoftMultipleAuthn);
  });

  it('asserts PasswordProtectedTransport when no second factor was used (before the enforcement date)', async () => {
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp: entra,
      signIn: aliceSignIn(now, false),
      answering: undefined,
      now,
      random,
    });
    const { profile } = await entraAsSp().validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(classRef(profile!.getAssertionXml!()), AUTHN_CONTEXT.passwordProtectedTransport);
  });

  it('reads a request for multipleauthn as "MFA required"', async () => {
    const ask = `<samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${AUTHN_CONTEXT.microsoftMultipleAuthn}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`;
    const read = await readAuthnRequest(
      { binding: 'redirect', rawQuery: entraRequest('_entra-2', ask) },
      deps,
    );
    assert.ok(read.ok && read.value.requireSecondFactor);
    const plain = await readAuthnRequest({ binding: 'redirect', rawQuery: entraRequest('_entra-3') }, deps);
    assert.ok(plain.ok && !plain.value.requireSecondFactor);
  });

  it('refuses to answer for a user without an ImmutableID (a clear build error, no assertion)', () => {
    const now = clock.now();
    const signIn = aliceSignIn(now);
    const withoutId = { ...signIn, subject: { ...signIn.subject, attributes: {} } };
    assert.throws(
      () => buildLoginResponse({ idp, sp: entra, signIn: withoutId, answering: undefined, now, random }),
      (error: Error) => error.name === 'SamlBuildError' && /attribute 'immutableId'/.test(error.message),
    );
  });
});

describe('a Workday shaped SP (typed by hand, POST only)', () => {
  /** node-saml set up as a Workday tenant: POST binding, unsigned requests, unspecified NameID. */
  const workdayAsSp = () =>
    new SAML({
      entryPoint: SSO_URL,
      issuer: WORKDAY_ID,
      audience: WORKDAY_ID,
      callbackUrl: WORKDAY_ACS,
      idpCert,
      idpIssuer: IDP_ENTITY_ID,
      identifierFormat: NAME_ID_FORMAT.unspecified,
      authnRequestBinding: 'HTTP-POST',
      skipRequestCompression: true,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
    });

  it('has exactly what was typed: entity ID, one POST ACS, no certificate, the username as NameID', () => {
    assert.equal(workday.entityId, WORKDAY_ID);
    assert.deepEqual(workday.acs, [{ url: WORKDAY_ACS, index: 0, isDefault: true }]);
    assert.deepEqual(workday.certificates, []);
    assert.deepEqual(workday.nameId, { format: 'unspecified', source: 'username' });
  });

  it('accepts its POST AuthnRequest and signs the user in with the username', async () => {
    const saml = workdayAsSp();
    const form = formFields(await saml.getAuthorizeFormAsync('wd-relay', undefined, {}));
    const read = await readAuthnRequest({ binding: 'post', form }, deps);
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.acs.url, WORKDAY_ACS);
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp: workday,
      signIn: aliceSignIn(now),
      answering: read.value,
      now,
      random,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test');
    assert.equal(profile?.nameIDFormat, NAME_ID_FORMAT.unspecified);
  });

  it('answers a passive request it cannot satisfy with a signed NoPassive status node-saml understands', async () => {
    const saml = new SAML({ ...workdayAsSp().options, passive: true });
    const form = formFields(await saml.getAuthorizeFormAsync('', undefined, {}));
    const read = await readAuthnRequest({ binding: 'post', form }, deps);
    assert.ok(read.ok && read.value.isPassive);
    const status = buildStatusResponse({
      idp,
      sp: workday,
      answering: read.value,
      code: STATUS.responder,
      subCode: STATUS.noPassive,
      now: clock.now(),
      random,
    });
    // node-saml takes a NoPassive answer only when its signature verifies: then it reports "no user", no error.
    const answer = await saml.validatePostResponseAsync({ SAMLResponse: status.samlResponse });
    assert.equal(answer.profile, null);
    const unsigned = status.xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    await assert.rejects(
      saml.validatePostResponseAsync({ SAMLResponse: toBase64(unsigned) }),
      /Invalid signature: NoPassive/,
    );
  });

  it('refuses a request that names an ACS URL other than the typed one', async () => {
    const saml = new SAML({
      ...workdayAsSp().options,
      callbackUrl: 'https://wd5.myworkday.com/other/login-saml.flex',
    });
    const form = formFields(await saml.getAuthorizeFormAsync('', undefined, {}));
    const read = await readAuthnRequest({ binding: 'post', form }, deps);
    assert.equal(read.ok ? 'accepted' : read.reason, 'acs_not_registered');
  });
});
