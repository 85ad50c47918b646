// node-saml (a service provider we did not write) against our IdP: its AuthnRequests on both bindings, our signed
// Responses, single logout both ways, and the tampered, re-signed, wrapped and replayed variants refused.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import type { ManualClock } from '../../src/core/clock.ts';
import { buildLogoutRequest, buildLogoutResponse } from '../../src/saml/build-logout.ts';
import { buildLoginResponse } from '../../src/saml/build-response.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import type { InboundDeps } from '../../src/saml/read-inbound.ts';
import { readLogoutRequest, readLogoutResponse } from '../../src/saml/read-logout.ts';
import { loadSigningCredential } from '../../src/saml/signing-credential.ts';
import { defineSp, type SpRecord } from '../../src/saml/sp-record.ts';
import {
  aliceSignIn,
  formFields,
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

const SP_ID = 'https://sp.node-saml.test/metadata';
const ACS = 'https://sp.node-saml.test/acs';

let idp: IdpSettings;
let idpCert: string;
let attackerIdp: IdpSettings;
let spKey: string;
let sp: SpRecord;
let clock: ManualClock;
let deps: InboundDeps;

function nodeSaml(options: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    entryPoint: SSO_URL,
    logoutUrl: SLO_URL,
    issuer: SP_ID,
    callbackUrl: ACS,
    audience: SP_ID,
    idpCert,
    idpIssuer: IDP_ENTITY_ID,
    privateKey: spKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: NAME_ID_FORMAT.emailAddress,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    ...options,
  });
}

const queryObject = (url: string) => Object.fromEntries(new URL(url).searchParams);

/**
 * node-saml's POST binding DEFLATEs the request unless told not to, which bindings §3.5.4 does not allow (base64 of
 * the XML only); we refuse that, so its POST tests run with compression off.
 */
const POST_BINDING: Partial<SamlConfig> = { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true };

before(async () => {
  const ours = await testIdp();
  idp = ours.idp;
  idpCert = ours.pair.certificatePem;
  const attacker = await rsaPair('idp.example.test');
  attackerIdp = {
    ...idp,
    credential: loadSigningCredential(attacker.privateKeyPem, attacker.certificatePem),
  };
  const spPair = await rsaPair('sp.node-saml.test');
  spKey = spPair.privateKeyPem;
  sp = defineSp({
    entityId: SP_ID,
    acs: [ACS],
    certificates: [spPair.certificatePem],
    nameId: { format: 'emailAddress' },
    attributes: [{ name: 'email', source: 'email' }],
    slo: [
      {
        binding: 'redirect',
        url: 'https://sp.node-saml.test/slo',
        responseUrl: 'https://sp.node-saml.test/slo',
      },
    ],
    wantAuthnRequestsSigned: true,
  });
  clock = realClock();
  deps = inboundDeps(idp, [sp], clock);
});

/** node-saml asks (Redirect), we read the request and answer it: the Response and the node-saml instance. */
async function signInThroughNodeSaml(options: Partial<SamlConfig> = {}) {
  const saml = nodeSaml(options);
  const url = await saml.getAuthorizeUrlAsync('relay-1', undefined, {});
  const read = await readAuthnRequest({ binding: 'redirect', rawQuery: rawQuery(url) }, deps);
  assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
  const now = clock.now();
  const response = buildLoginResponse({
    idp,
    sp: options.wantAuthnResponseSigned ? { ...sp, signResponse: true } : sp,
    signIn: aliceSignIn(now),
    answering: read.value,
    now,
    random,
  });
  return { saml, request: read.value, response };
}

describe('node-saml as the service provider', () => {
  it('accepts its signed Redirect AuthnRequest and validates our Response (InResponseTo, audience, NameID, attributes)', async () => {
    const { saml, request, response } = await signInThroughNodeSaml();
    assert.equal(request.signed, true);
    assert.equal(request.binding, 'redirect');
    assert.equal(request.relayState, 'relay-1');
    assert.equal(request.acs.url, ACS);
    assert.equal(response.acsUrl, ACS);
    const { profile, loggedOut } = await saml.validatePostResponseAsync({
      SAMLResponse: response.samlResponse,
    });
    assert.equal(loggedOut, false);
    assert.equal(profile?.nameID, 'alice@example.test');
    assert.equal(profile?.nameIDFormat, NAME_ID_FORMAT.emailAddress);
    assert.equal(profile?.sessionIndex, '_session-alice-1');
    assert.equal(profile?.issuer, IDP_ENTITY_ID);
    assert.equal(profile?.email, 'alice@example.test');
  });

  it('validates a Response we sign as well as its assertion', async () => {
    const { saml, response } = await signInThroughNodeSaml({ wantAuthnResponseSigned: true });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test');
  });

  it('accepts its signed HTTP-POST AuthnRequest', async () => {
    const saml = nodeSaml(POST_BINDING);
    const form = formFields(await saml.getAuthorizeFormAsync('relay-post', undefined, {}));
    assert.match(fromBase64(form.SAMLRequest!), /<ds:Signature|<Signature/);
    const read = await readAuthnRequest({ binding: 'post', form }, deps);
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.signed, true);
    assert.equal(read.value.relayState, 'relay-post');
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp,
      signIn: aliceSignIn(now),
      answering: read.value,
      now,
      random,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test');
  });

  it('accepts an IdP-initiated Response (no InResponseTo) sent to the registered ACS', async () => {
    const saml = nodeSaml({ validateInResponseTo: ValidateInResponseTo.never });
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp,
      signIn: aliceSignIn(now),
      answering: undefined,
      now,
      random,
    });
    assert.doesNotMatch(response.xml, /InResponseTo/);
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test');
  });

  it('refuses a replay: the same Response twice, and the same AuthnRequest twice at our end', async () => {
    const saml = nodeSaml();
    const url = await saml.getAuthorizeUrlAsync('', undefined, {});
    const first = await readAuthnRequest({ binding: 'redirect', rawQuery: rawQuery(url) }, deps);
    assert.ok(first.ok);
    const again = await readAuthnRequest({ binding: 'redirect', rawQuery: rawQuery(url) }, deps);
    assert.deepEqual(again.ok ? 'accepted' : again.reason, 'replayed');
    const now = clock.now();
    const response = buildLoginResponse({
      idp,
      sp,
      signIn: aliceSignIn(now),
      answering: first.value,
      now,
      random,
    });
    await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    await assert.rejects(
      saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse }),
      /InResponseTo/,
    );
  });

  it('refuses our Response with the NameID changed after signing', async () => {
    const { saml, response } = await signInThroughNodeSaml({
      validateInResponseTo: ValidateInResponseTo.never,
    });
    const tampered = response.xml.replace(
      '>alice@example.test</saml:NameID>',
      '>mallory@example.test</saml:NameID>',
    );
    assert.notEqual(tampered, response.xml);
    await assert.rejects(saml.validatePostResponseAsync({ SAMLResponse: toBase64(tampered) }), /signature/i);
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test', 'the untouched Response still validates');
  });

  it('refuses a Response signed with another key (its certificate in KeyInfo)', async () => {
    const saml = nodeSaml({ validateInResponseTo: ValidateInResponseTo.never });
    const now = clock.now();
    const forged = buildLoginResponse({
      idp: attackerIdp,
      sp,
      signIn: aliceSignIn(now),
      answering: undefined,
      now,
      random,
    });
    await assert.rejects(saml.validatePostResponseAsync({ SAMLResponse: forged.samlResponse }), /signature/i);
  });

  it('refuses wrapped Responses (XSW): a second, unsigned assertion, and the signature moved onto a forged one', async () => {
    const { saml, response } = await signInThroughNodeSaml({
      validateInResponseTo: ValidateInResponseTo.never,
    });
    const assertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(response.xml)![0];
    const evil = assertion
      .replace(/ID="[^"]+"/, 'ID="_evil"')
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
      .replace('>alice@example.test<', '>mallory@example.test<');
    // XSW1-style: the forged assertion first, the signed one after it.
    const twoAssertions = response.xml.replace(assertion, evil + assertion);
    await assert.rejects(saml.validatePostResponseAsync({ SAMLResponse: toBase64(twoAssertions) }));
    // XSW3-style: the signed assertion hidden inside the forged one, which carries its signature.
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(assertion)![0];
    const wrapped = response.xml.replace(
      assertion,
      evil
        .replace('</saml:Issuer>', `</saml:Issuer>${signature}`)
        .replace('</saml:Assertion>', `${assertion}</saml:Assertion>`),
    );
    await assert.rejects(saml.validatePostResponseAsync({ SAMLResponse: toBase64(wrapped) }));
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: response.samlResponse });
    assert.equal(profile?.nameID, 'alice@example.test', 'the untouched Response still validates');
  });

  it('refuses a tampered twin of its Redirect AuthnRequest: changed content, changed SigAlg, re-encoded query', async () => {
    const saml = nodeSaml();
    const url = await saml.getAuthorizeUrlAsync('relay-1', undefined, {});
    const query = rawQuery(url);
    const { inflateRawSync, deflateRawSync } = await import('node:zlib');
    const params = new URLSearchParams(query);
    const xml = inflateRawSync(Buffer.from(params.get('SAMLRequest')!, 'base64')).toString('utf8');
    const evilRequest = encodeURIComponent(
      deflateRawSync(Buffer.from(xml.replace(/ID="[^"]+"/, 'ID="_changed"'))).toString('base64'),
    );
    const changed = query.replace(/SAMLRequest=[^&]+/, `SAMLRequest=${evilRequest}`);
    const results = await Promise.all(
      [
        changed,
        query.replace('rsa-sha256', 'rsa-sha512'),
        query.replace(/%2F/g, '%2f'),
        query.replace('RelayState=relay-1', 'RelayState=relay-2'),
      ].map(async (q) => {
        const read = await readAuthnRequest({ binding: 'redirect', rawQuery: q }, deps);
        return read.ok ? 'accepted' : read.reason;
      }),
    );
    assert.deepEqual(results, [
      'signature_invalid',
      'signature_invalid',
      'signature_invalid',
      'signature_invalid',
    ]);
    // The untouched original is still good (nothing above claimed its ID).
    const original = await readAuthnRequest({ binding: 'redirect', rawQuery: query }, deps);
    assert.ok(original.ok);
  });

  it('refuses a tampered twin of its POST AuthnRequest, and the same request with the signature stripped', async () => {
    const saml = nodeSaml(POST_BINDING);
    const form = formFields(await saml.getAuthorizeFormAsync('', undefined, {}));
    const xml = fromBase64(form.SAMLRequest!);
    const tampered = xml.replace(
      'AssertionConsumerServiceURL="https://sp.node-saml.test/acs"',
      'AssertionConsumerServiceURL="https://evil.test/acs"',
    );
    assert.notEqual(tampered, xml);
    const read = async (value: string) => {
      const result = await readAuthnRequest(
        { binding: 'post', form: { SAMLRequest: toBase64(value) } },
        deps,
      );
      return result.ok ? 'accepted' : result.reason;
    };
    assert.equal(await read(tampered), 'signature_invalid');
    const stripped = tampered.replace(/<(ds:)?Signature[\s\S]*<\/(ds:)?Signature>/, '');
    assert.equal(await read(stripped), 'signature_missing');
    const lenient = inboundDeps(idp, [{ ...sp, wantAuthnRequestsSigned: false }], clock);
    const unsigned = await readAuthnRequest(
      { binding: 'post', form: { SAMLRequest: toBase64(stripped) } },
      lenient,
    );
    assert.equal(unsigned.ok ? 'accepted' : unsigned.reason, 'acs_not_registered');
    assert.equal(await read(xml), 'accepted');
  });
});

describe('single logout with node-saml', () => {
  it('SP-initiated: its signed LogoutRequest is accepted and our LogoutResponse validates', async () => {
    const saml = nodeSaml();
    const url = await saml.getLogoutUrlAsync(
      {
        issuer: IDP_ENTITY_ID,
        nameID: 'alice@example.test',
        nameIDFormat: NAME_ID_FORMAT.emailAddress,
        sessionIndex: '_session-alice-1',
      },
      'bye',
      {},
    );
    const read = await readLogoutRequest({ binding: 'redirect', rawQuery: rawQuery(url) }, deps);
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.deepEqual(read.value.nameId, { format: NAME_ID_FORMAT.emailAddress, value: 'alice@example.test' });
    assert.deepEqual(read.value.sessionIndexes, ['_session-alice-1']);
    assert.equal(read.value.relayState, 'bye');
    const answer = buildLogoutResponse({
      idp,
      sp,
      inResponseTo: read.value.id,
      binding: read.value.binding,
      relayState: read.value.relayState,
      now: clock.now(),
      random,
    });
    assert.ok(answer !== null && answer.message.binding === 'redirect');
    const validated = await saml.validateRedirectAsync(
      queryObject(answer.message.url),
      rawQuery(answer.message.url),
    );
    assert.equal(validated.loggedOut, true);
  });

  it('IdP-initiated: node-saml validates our LogoutRequest and we accept its LogoutResponse', async () => {
    const saml = nodeSaml();
    const sent = buildLogoutRequest({
      idp,
      sp,
      nameId: { format: NAME_ID_FORMAT.emailAddress, value: 'alice@example.test' },
      sessionIndex: '_session-alice-1',
      now: clock.now(),
      random,
    });
    assert.ok(sent !== null && sent.message.binding === 'redirect');
    const validated = await saml.validateRedirectAsync(
      queryObject(sent.message.url),
      rawQuery(sent.message.url),
    );
    assert.equal(validated.loggedOut, true);
    assert.equal(validated.profile?.nameID, 'alice@example.test');
    const responseUrl = await saml.getLogoutResponseUrlAsync(validated.profile!, 'after', {}, true);
    const read = await readLogoutResponse(
      { binding: 'redirect', rawQuery: rawQuery(responseUrl) },
      deps,
      sent.id,
    );
    assert.ok(read.ok, read.ok ? '' : `${read.reason}: ${read.detail}`);
    assert.equal(read.value.success, true);
    const other = await readLogoutResponse(
      { binding: 'redirect', rawQuery: rawQuery(responseUrl) },
      deps,
      '_another',
    );
    assert.equal(other.ok ? 'accepted' : other.reason, 'in_response_to');
  });

  it('IdP-initiated over HTTP-POST: node-saml validates our enveloped-signed LogoutRequest', async () => {
    const saml = nodeSaml();
    const postSp = {
      ...sp,
      slo: [
        {
          binding: 'post' as const,
          url: 'https://sp.node-saml.test/slo',
          responseUrl: 'https://sp.node-saml.test/slo',
        },
      ],
    };
    const sent = buildLogoutRequest({
      idp,
      sp: postSp,
      nameId: { format: NAME_ID_FORMAT.emailAddress, value: 'alice@example.test' },
      sessionIndex: '_session-alice-1',
      now: clock.now(),
      random,
    });
    assert.ok(sent !== null && sent.message.binding === 'post');
    const validated = await saml.validatePostRequestAsync({ SAMLRequest: sent.message.value });
    assert.equal(validated.loggedOut, true);
  });

  it('refuses an unsigned LogoutRequest and a tampered one', async () => {
    const unsignedSaml = new SAML({
      entryPoint: SSO_URL,
      logoutUrl: SLO_URL,
      issuer: SP_ID,
      callbackUrl: ACS,
      idpCert,
    });
    const unsigned = await unsignedSaml.getLogoutUrlAsync(
      { issuer: IDP_ENTITY_ID, nameID: 'alice@example.test', nameIDFormat: NAME_ID_FORMAT.emailAddress },
      '',
      {},
    );
    const read = await readLogoutRequest({ binding: 'redirect', rawQuery: rawQuery(unsigned) }, deps);
    assert.equal(read.ok ? 'accepted' : read.reason, 'signature_missing');
    const signed = await nodeSaml().getLogoutUrlAsync(
      { issuer: IDP_ENTITY_ID, nameID: 'alice@example.test', nameIDFormat: NAME_ID_FORMAT.emailAddress },
      'x',
      {},
    );
    const tampered = await readLogoutRequest(
      { binding: 'redirect', rawQuery: rawQuery(signed).replace('RelayState=x', 'RelayState=y') },
      deps,
    );
    assert.equal(tampered.ok ? 'accepted' : tampered.reason, 'signature_invalid');
  });
});
