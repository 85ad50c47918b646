// samlify (a service provider we did not write) against our IdP: it reads our metadata, signs requests we accept,
// parses our login responses, and refuses them once tampered, re-signed or wrapped; single logout both ways.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as samlify from 'samlify';
import type { ManualClock } from '../../src/core/clock.ts';
import { buildLogoutRequest, buildLogoutResponse } from '../../src/saml/build-logout.ts';
import { buildLoginResponse } from '../../src/saml/build-response.ts';
import { idpMetadata } from '../../src/saml/idp-metadata.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { importSpMetadata } from '../../src/saml/import-sp-metadata.ts';
import { NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import type { InboundDeps } from '../../src/saml/read-inbound.ts';
import { readLogoutRequest, readLogoutResponse } from '../../src/saml/read-logout.ts';
import { loadSigningCredential } from '../../src/saml/signing-credential.ts';
import type { SpRecord } from '../../src/saml/sp-record.ts';
import {
  aliceSignIn,
  fromBase64,
  IDP_ENTITY_ID,
  inboundDeps,
  random,
  rawQuery,
  realClock,
  rsaPair,
  SLO_URL,
  SSO_URL,
  testIdp,
  toBase64,
} from './fixture.ts';

const SP_ID = 'https://sp.samlify.test/metadata';
const ACS = 'https://sp.samlify.test/acs';
const SP_SLO = 'https://sp.samlify.test/slo';
const { binding } = samlify.Constants.namespace;

/** What samlify's createLoginRequest returns for the POST binding (its types do not export the name). */
type PostContext = { id: string; context: string; relayState?: string };

// samlify refuses to run without an XML Schema validator and ships none; XSD validation is not what these tests
// are about (signatures and values are), so the hook accepts every document.
samlify.setSchemaValidator({ validate: async () => 'not schema-validated in tests' });

let idp: IdpSettings;
let attackerIdp: IdpSettings;
let samlSp: ReturnType<typeof samlify.ServiceProvider>;
let samlIdp: ReturnType<typeof samlify.IdentityProvider>;
let sp: SpRecord;
let clock: ManualClock;
let deps: InboundDeps;

before(async () => {
  ({ idp } = await testIdp());
  const attacker = await rsaPair('idp.example.test');
  attackerIdp = {
    ...idp,
    credential: loadSigningCredential(attacker.privateKeyPem, attacker.certificatePem),
  };
  const spPair = await rsaPair('sp.samlify.test');
  samlSp = samlify.ServiceProvider({
    entityID: SP_ID,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    privateKey: spPair.privateKeyPem,
    signingCert: spPair.certificatePem,
    nameIDFormat: [NAME_ID_FORMAT.emailAddress],
    assertionConsumerService: [{ Binding: binding.post, Location: ACS }],
    singleLogoutService: [{ Binding: binding.redirect, Location: SP_SLO }],
  });
  samlIdp = samlify.IdentityProvider({
    metadata: idpMetadata(idp, { signed: true, wantAuthnRequestsSigned: true }),
    // Not in metadata (SAML has no such attribute): samlify signs logout messages to an IdP only when told.
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
  } as Parameters<typeof samlify.IdentityProvider>[0]);
  // The SP record comes from samlify's own metadata, as an administrator would import it.
  sp = importSpMetadata(samlSp.getMetadata(), {
    attributes: [
      { name: 'email', source: 'email' },
      { name: 'groups', source: 'groups' },
    ],
  });
  clock = realClock();
  deps = inboundDeps(idp, [sp], clock);
});

/** samlify's redirect query as a framework would hand it over, with the octet string samlify verifies. */
function redirectRequest(url: string, field: 'SAMLRequest' | 'SAMLResponse') {
  const raw = rawQuery(url);
  const pick = (name: string) => raw.split('&').find((pair) => pair.startsWith(`${name}=`));
  const octetString = [pick(field), pick('RelayState'), pick('SigAlg')]
    .filter((p) => p !== undefined)
    .join('&');
  return { query: Object.fromEntries(new URL(url).searchParams), octetString };
}

async function signInThroughSamlify(spRecord: SpRecord = sp) {
  const { context, id } = samlSp.createLoginRequest(samlIdp, 'redirect', { relayState: 'samlify-relay' });
  const read = await readAuthnRequest({ binding: 'redirect', rawQuery: rawQuery(context) }, deps);
  assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
  assert.equal(read.value.id, id);
  const now = clock.now();
  const response = buildLoginResponse({
    idp,
    sp: spRecord,
    signIn: aliceSignIn(now),
    answering: read.value,
    now,
    random,
  });
  return { request: read.value, response };
}

describe('samlify as the service provider', () => {
  it('reads our signed metadata: entity ID, both SSO bindings, SLO and the signing certificate', () => {
    const meta = samlIdp.entityMeta;
    assert.equal(meta.getEntityID(), IDP_ENTITY_ID);
    assert.equal(meta.getSingleSignOnService('redirect'), SSO_URL);
    assert.equal(meta.getSingleSignOnService('post'), SSO_URL);
    assert.equal(meta.getSingleLogoutService('redirect'), SLO_URL);
    const cert = meta.getX509Certificate('signing');
    assert.equal(
      typeof cert === 'string' ? cert.replace(/\s/g, '') : cert,
      idp.credential.certificatePem.replace(/-----[^-]+-----|\s/g, ''),
    );
  });

  it('our metadata import read samlify SP metadata: entity ID, POST ACS, SLO, certificate, NameID format', () => {
    assert.equal(sp.entityId, SP_ID);
    assert.deepEqual(
      sp.acs.map((a) => a.url),
      [ACS],
    );
    assert.deepEqual(
      sp.slo.map((s) => [s.binding, s.url]),
      [['redirect', SP_SLO]],
    );
    assert.equal(sp.certificates.length, 1);
    assert.equal(sp.nameId.format, 'emailAddress');
    assert.equal(sp.wantAuthnRequestsSigned, true);
  });

  it('accepts its signed Redirect AuthnRequest; samlify parses our Response', async () => {
    const { request, response } = await signInThroughSamlify();
    assert.equal(request.signed, true);
    assert.equal(request.relayState, 'samlify-relay');
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', {
      body: { SAMLResponse: response.samlResponse },
    });
    assert.equal(extract.nameID, 'alice@example.test');
    assert.equal(extract.issuer, IDP_ENTITY_ID);
    assert.equal(extract.audience, SP_ID);
    assert.equal(extract.response?.inResponseTo, request.id);
    assert.equal(extract.sessionIndex?.sessionIndex, '_session-alice-1');
    assert.deepEqual(extract.attributes, { email: 'alice@example.test', groups: ['staff', 'finance'] });
  });

  it('parses our Response when the Response is signed as well', async () => {
    const { response } = await signInThroughSamlify({ ...sp, signResponse: true });
    assert.equal((response.xml.match(/<ds:Signature /g) ?? []).length, 2);
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', {
      body: { SAMLResponse: response.samlResponse },
    });
    assert.equal(extract.nameID, 'alice@example.test');
  });

  it('accepts its signed HTTP-POST AuthnRequest', async () => {
    const post = samlSp.createLoginRequest(samlIdp, 'post', {
      relayState: 'posted',
    }) as PostContext;
    assert.match(fromBase64(post.context), /<ds:Signature/);
    const read = await readAuthnRequest(
      { binding: 'post', form: { SAMLRequest: post.context, RelayState: post.relayState } },
      deps,
    );
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.signed, true);
    assert.equal(read.value.acs.url, ACS);
  });

  it('refuses tampered twins of its requests on both bindings', async () => {
    const redirect = samlSp.createLoginRequest(samlIdp, 'redirect', { relayState: 'r' });
    const query = rawQuery(redirect.context);
    const badRelay = await readAuthnRequest(
      { binding: 'redirect', rawQuery: query.replace('RelayState=r', 'RelayState=s') },
      deps,
    );
    assert.equal(badRelay.ok ? 'accepted' : badRelay.reason, 'signature_invalid');
    const post = samlSp.createLoginRequest(samlIdp, 'post') as PostContext;
    const xml = fromBase64(post.context);
    const forced = xml.replace('<samlp:AuthnRequest ', '<samlp:AuthnRequest IsPassive="true" ');
    assert.notEqual(forced, xml);
    const read = await readAuthnRequest({ binding: 'post', form: { SAMLRequest: toBase64(forced) } }, deps);
    assert.equal(read.ok ? 'accepted' : read.reason, 'signature_invalid');
    const original = await readAuthnRequest({ binding: 'post', form: { SAMLRequest: post.context } }, deps);
    assert.ok(original.ok);
  });

  it('refuses our Response tampered after signing or re-signed with another key, and never yields a wrapped one', async () => {
    const { response } = await signInThroughSamlify();
    const parse = (xml: string) =>
      samlSp.parseLoginResponse(samlIdp, 'post', { body: { SAMLResponse: toBase64(xml) } });
    await assert.rejects(
      parse(response.xml.replace('>alice@example.test</saml:NameID>', '>mallory@example.test</saml:NameID>')),
    );
    const now = clock.now();
    const forged = buildLoginResponse({
      idp: attackerIdp,
      sp,
      signIn: aliceSignIn(now),
      answering: undefined,
      now,
      random,
    });
    await assert.rejects(parse(forged.xml));
    const assertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(response.xml)![0];
    const evil = assertion
      .replace(/ID="[^"]+"/, 'ID="_evil"')
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
      .replace('>alice@example.test<', '>mallory@example.test<');
    // samlify answers a wrapped Response with the assertion its signature covers, or refuses it: either way the
    // forged NameID never comes out.
    const outcome = (xml: string) =>
      parse(xml).then(
        (result) => result.extract.nameID as string,
        () => 'refused',
      );
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(assertion)![0];
    const wrapped = evil
      .replace('</saml:Issuer>', `</saml:Issuer>${signature}`)
      .replace('</saml:Assertion>', `${assertion}</saml:Assertion>`);
    for (const xml of [
      response.xml.replace(assertion, evil + assertion),
      response.xml.replace(assertion, wrapped),
    ]) {
      assert.notEqual(await outcome(xml), 'mallory@example.test');
    }
    const { extract } = await parse(response.xml);
    assert.equal(extract.nameID, 'alice@example.test', 'the untouched Response still parses');
  });
});

describe('single logout with samlify', () => {
  it('SP-initiated: its signed LogoutRequest is accepted and samlify verifies our LogoutResponse', async () => {
    const { context } = samlSp.createLogoutRequest(samlIdp, 'redirect', {
      logoutNameID: 'alice@example.test',
      sessionIndex: '_session-alice-1',
    } as never);
    const read = await readLogoutRequest({ binding: 'redirect', rawQuery: rawQuery(context) }, deps);
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.nameId.value, 'alice@example.test');
    const answer = buildLogoutResponse({
      idp,
      sp,
      inResponseTo: read.value.id,
      binding: read.value.binding,
      relayState: 'after-logout',
      now: clock.now(),
      random,
    });
    assert.ok(answer !== null && answer.message.binding === 'redirect');
    const { extract } = await samlSp.parseLogoutResponse(
      samlIdp,
      'redirect',
      redirectRequest(answer.message.url, 'SAMLResponse'),
    );
    assert.equal(extract.response?.inResponseTo, read.value.id);
  });

  it('IdP-initiated: samlify verifies our LogoutRequest and we accept its signed LogoutResponse', async () => {
    const sent = buildLogoutRequest({
      idp,
      sp,
      nameId: { format: NAME_ID_FORMAT.emailAddress, value: 'alice@example.test' },
      sessionIndex: '_session-alice-1',
      now: clock.now(),
      random,
    });
    assert.ok(sent !== null && sent.message.binding === 'redirect');
    const parsed = await samlSp.parseLogoutRequest(
      samlIdp,
      'redirect',
      redirectRequest(sent.message.url, 'SAMLRequest'),
    );
    assert.equal(parsed.extract.nameID, 'alice@example.test');
    const { context } = samlSp.createLogoutResponse(samlIdp, { ...parsed }, 'redirect', 'back');
    const read = await readLogoutResponse(
      { binding: 'redirect', rawQuery: rawQuery(context) },
      deps,
      sent.id,
    );
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.success, true);
    assert.equal(read.value.relayState, 'back');
  });
});
