// Our reading of inbound requests under attack: DOCTYPEs and processing instructions, signature wrapping (XSW),
// moved and extra signatures, foreign algorithms, keys in KeyInfo, wrong destinations, stale and replayed
// messages. The requests under attack are made and signed by node-saml, an SP we did not write.
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SAML, type SamlConfig } from '@node-saml/node-saml';
import type { ManualClock } from '../../src/core/clock.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { DSIG, NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import type { InboundDeps, InboundHttp } from '../../src/saml/read-inbound.ts';
import { defineSp, type SpRecord } from '../../src/saml/sp-record.ts';
import {
  ecPair,
  formFields,
  fromBase64,
  inboundDeps,
  rawQuery,
  realClock,
  rsaPair,
  SLO_URL,
  SSO_URL,
  testIdp,
  toBase64,
} from './fixture.ts';

const SP_ID = 'https://sp.attacks.test/metadata';
const ACS = 'https://sp.attacks.test/acs';

let idp: IdpSettings;
let spKey: string;
let attackerKey: string;
let sp: SpRecord;
let clock: ManualClock;
let deps: InboundDeps;

before(async () => {
  ({ idp } = await testIdp());
  const spPair = await rsaPair('sp.attacks.test');
  spKey = spPair.privateKeyPem;
  attackerKey = (await rsaPair('sp.attacks.test')).privateKeyPem;
  sp = defineSp({
    entityId: SP_ID,
    acs: [ACS],
    certificates: [spPair.certificatePem],
    wantAuthnRequestsSigned: true,
  });
  clock = realClock();
  deps = inboundDeps(idp, [sp], clock);
});

function nodeSaml(options: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    entryPoint: SSO_URL,
    logoutUrl: SLO_URL,
    issuer: SP_ID,
    callbackUrl: ACS,
    idpCert: 'unused',
    privateKey: spKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: NAME_ID_FORMAT.unspecified,
    authnRequestBinding: 'HTTP-POST',
    skipRequestCompression: true,
    ...options,
  });
}

/** node-saml on the Redirect binding (DEFLATE on, as that binding requires). */
const redirectSaml = (options: Partial<SamlConfig> = {}) =>
  nodeSaml({ authnRequestBinding: 'HTTP-Redirect', skipRequestCompression: false, ...options });

/** A fresh node-saml-signed POST AuthnRequest, without its XML declaration. */
async function signedPostXml(options: Partial<SamlConfig> = {}): Promise<string> {
  const form = formFields(await nodeSaml(options).getAuthorizeFormAsync('', undefined, {}));
  return fromBase64(form.SAMLRequest!).replace(/^<\?xml[^>]*\?>/, '');
}

async function outcome(input: InboundHttp, using: InboundDeps = deps): Promise<string> {
  const read = await readAuthnRequest(input, using);
  return read.ok ? 'accepted' : read.reason;
}

const post = (xml: string) => outcome({ binding: 'post', form: { SAMLRequest: toBase64(xml) } });

const SIGNATURE = /<Signature [\s\S]*<\/Signature>/;

/** A forged AuthnRequest root with `id`, sending to an ACS of the attacker's, with `content` after its Issuer. */
function forgedRoot(id: string, content: string): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
    `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" ` +
    `IssueInstant="${new Date(clock.now()).toISOString()}" Destination="${SSO_URL}" ` +
    `AssertionConsumerServiceURL="https://evil.test/acs"><saml:Issuer>${SP_ID}</saml:Issuer>${content}</samlp:AuthnRequest>`
  );
}

describe('DOCTYPE and processing instructions', () => {
  it('refuses a signed request carrying a DOCTYPE: internal entities, XXE, billion laughs, after the declaration', async () => {
    const xml = await signedPostXml();
    const variants = [
      `<!DOCTYPE samlp:AuthnRequest>${xml}`,
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml.replace(`>${SP_ID}<`, '>&e;<')}`,
      `<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]>${xml}`,
      `<!doctype r>${xml}`,
    ];
    for (const variant of variants) assert.equal(await post(variant), 'doctype', variant.slice(0, 60));
  });

  it('refuses processing instructions, before the root and inside it', async () => {
    const xml = await signedPostXml();
    assert.equal(
      await post(`<?xml version="1.0"?><?xml-stylesheet href="http://evil.test/x.xsl"?>${xml}`),
      'processing_instruction',
    );
    assert.equal(
      await post(xml.replace('</samlp:AuthnRequest>', '<?evil data?></samlp:AuthnRequest>')),
      'processing_instruction',
    );
    assert.equal(await post(`<?xml version="1.0"?>${xml}`), 'accepted', 'the XML declaration alone is fine');
  });

  it('refuses the same on the Redirect binding', async () => {
    const xml = `<!DOCTYPE r [<!ENTITY e "x">]>${await signedPostXml()}`;
    const query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`;
    assert.equal(await outcome({ binding: 'redirect', rawQuery: query }), 'doctype');
  });
});

describe('signature wrapping and misplaced signatures (POST binding)', () => {
  it('refuses a second signature anywhere in the message', async () => {
    const xml = await signedPostXml();
    const signature = SIGNATURE.exec(xml)![0];
    const twice = xml.replace(signature, `${signature}<samlp:Extensions>${signature}</samlp:Extensions>`);
    assert.equal(await post(twice), 'signature_shape');
  });

  it('refuses the signed request wrapped inside a forged one (XSW1)', async () => {
    const xml = await signedPostXml();
    assert.equal(
      await post(forgedRoot('_evil', `<samlp:Extensions>${xml}</samlp:Extensions>`)),
      'signature_shape',
    );
  });

  it('refuses the signature moved onto a forged root that hides the original (XSW2)', async () => {
    const xml = await signedPostXml();
    const signature = SIGNATURE.exec(xml)![0];
    const original = xml.replace(signature, '');
    assert.equal(
      await post(forgedRoot('_evil', `${signature}<samlp:Extensions>${original}</samlp:Extensions>`)),
      'signature_shape',
    );
  });

  it('refuses a forged root that copies the signed ID, with the original hidden or dropped', async () => {
    const xml = await signedPostXml();
    const signature = SIGNATURE.exec(xml)![0];
    const id = /ID="([^"]+)"/.exec(xml)![1]!;
    const original = xml.replace(signature, '');
    assert.equal(
      await post(forgedRoot(id, `${signature}<samlp:Extensions>${original}</samlp:Extensions>`)),
      'signature_shape',
    );
    assert.equal(await post(forgedRoot(id, signature)), 'signature_invalid');
  });

  it('refuses a reference to the whole document, an XSLT transform, and SHA-1', async () => {
    const xml = await signedPostXml();
    assert.equal(await post(xml.replace(/URI="#[^"]+"/, 'URI=""')), 'signature_shape');
    const xslt = '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>';
    assert.equal(await post(xml.replace('<Transforms>', `<Transforms>${xslt}`)), 'signature_algorithm');
    assert.equal(
      await post(await signedPostXml({ signatureAlgorithm: 'sha1', digestAlgorithm: 'sha1' })),
      'signature_algorithm',
    );
  });

  it('never uses a key from KeyInfo: a request signed by another key, its certificate attached, is refused', async () => {
    const attackerPair = await rsaPair('sp.attacks.test');
    const xml = await signedPostXml({
      privateKey: attackerPair.privateKeyPem,
      publicCert: attackerPair.certificatePem,
    });
    assert.match(xml, /<X509Certificate>/);
    assert.equal(await post(xml), 'signature_invalid');
  });
});

describe('Redirect-binding signatures', () => {
  it('refuses SHA-1, an XML signature inside the message, and a signature by another key', async () => {
    const sha1 = await redirectSaml({ signatureAlgorithm: 'sha1' }).getAuthorizeUrlAsync('', undefined, {});
    assert.equal(await outcome({ binding: 'redirect', rawQuery: rawQuery(sha1) }), 'signature_algorithm');
    const embedded = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(await signedPostXml())).toString('base64'))}`;
    assert.equal(await outcome({ binding: 'redirect', rawQuery: embedded }), 'signature_shape');
    const forged = await redirectSaml({ privateKey: attackerKey }).getAuthorizeUrlAsync('', undefined, {});
    assert.equal(await outcome({ binding: 'redirect', rawQuery: rawQuery(forged) }), 'signature_invalid');
  });

  it('accepts ECDSA-SHA256 (r‖s) from an SP with an EC certificate, and refuses it from an RSA one', async () => {
    const ec = ecPair('sp.ec.test');
    const ecSp = defineSp({
      entityId: 'https://sp.ec.test',
      acs: ['https://sp.ec.test/acs'],
      certificates: [ec.certificatePem],
    });
    const request =
      `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
      `ID="_ec1" Version="2.0" IssueInstant="${new Date(clock.now()).toISOString()}" Destination="${SSO_URL}">` +
      '<saml:Issuer>https://sp.ec.test</saml:Issuer></samlp:AuthnRequest>';
    const signedPart = [
      `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(request)).toString('base64'))}`,
      'RelayState=ec',
      `SigAlg=${encodeURIComponent(DSIG.ecdsaSha256)}`,
    ].join('&');
    const signatureOf = (dsaEncoding: 'ieee-p1363' | 'der') =>
      sign('sha256', Buffer.from(signedPart), {
        key: createPrivateKey(ec.privateKeyPem),
        dsaEncoding,
      }).toString('base64');
    const query = (encoding: 'ieee-p1363' | 'der') =>
      `${signedPart}&Signature=${encodeURIComponent(signatureOf(encoding))}`;
    const ecDeps = inboundDeps(idp, [ecSp], clock);
    assert.equal(await outcome({ binding: 'redirect', rawQuery: query('der') }, ecDeps), 'signature_invalid');
    assert.equal(await outcome({ binding: 'redirect', rawQuery: query('ieee-p1363') }, ecDeps), 'accepted');
    // The same ECDSA signature from an SP whose registered certificate is RSA: no algorithm confusion.
    const rsaDeps = inboundDeps(idp, [{ ...ecSp, certificates: sp.certificates }], clock);
    assert.equal(
      await outcome({ binding: 'redirect', rawQuery: query('ieee-p1363') }, rsaDeps),
      'signature_invalid',
    );
  });
});

describe('issuer, destination, time and replay', () => {
  it('refuses an unknown issuer, a wrong Destination and a message of the wrong kind', async () => {
    const strangerDeps = inboundDeps(idp, [], clock);
    assert.equal(
      await outcome(
        { binding: 'post', form: { SAMLRequest: toBase64(await signedPostXml()) } },
        strangerDeps,
      ),
      'unknown_issuer',
    );
    assert.equal(
      await post(await signedPostXml({ entryPoint: 'https://other-idp.test/sso' })),
      'destination',
    );
    const logout = await redirectSaml().getLogoutUrlAsync(
      { issuer: idp.entityId, nameID: 'alice', nameIDFormat: NAME_ID_FORMAT.unspecified },
      '',
      {},
    );
    assert.equal(await outcome({ binding: 'redirect', rawQuery: rawQuery(logout) }), 'unexpected_message');
  });

  it('refuses a request issued too long ago or in the future, beyond the clock skew', async () => {
    const xml = await signedPostXml();
    const issued = Date.parse(/IssueInstant="([^"]+)"/.exec(xml)![1]!);
    const at = (now: number) => ({ ...deps, clock: { now: () => now } });
    const later = at(issued + idp.requestLifetimeMs + idp.clockSkewMs + 1);
    assert.equal(await outcome({ binding: 'post', form: { SAMLRequest: toBase64(xml) } }, later), 'stale');
    const earlier = at(issued - idp.clockSkewMs - 1);
    assert.equal(await outcome({ binding: 'post', form: { SAMLRequest: toBase64(xml) } }, earlier), 'stale');
    const withinSkew = at(issued - idp.clockSkewMs);
    assert.equal(
      await outcome({ binding: 'post', form: { SAMLRequest: toBase64(xml) } }, withinSkew),
      'accepted',
    );
  });

  it('accepts a request once: a replay on either binding is refused', async () => {
    const xml = await signedPostXml();
    assert.equal(await post(xml), 'accepted');
    assert.equal(await post(xml), 'replayed');
    const url = await redirectSaml().getAuthorizeUrlAsync('r', undefined, {});
    assert.equal(await outcome({ binding: 'redirect', rawQuery: rawQuery(url) }), 'accepted');
    assert.equal(await outcome({ binding: 'redirect', rawQuery: rawQuery(url) }), 'replayed');
  });

  it('refuses a request whose ACS URL is not registered, and a binding other than POST', async () => {
    const lenient = inboundDeps(idp, [{ ...sp, wantAuthnRequestsSigned: false, certificates: [] }], clock);
    const evil = await signedPostXml({ callbackUrl: 'https://evil.test/acs' });
    assert.equal(
      await outcome({ binding: 'post', form: { SAMLRequest: toBase64(evil) } }, lenient),
      'acs_not_registered',
    );
    const artifact = (await signedPostXml()).replace(
      /ProtocolBinding="[^"]+"/,
      'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"',
    );
    assert.equal(
      await outcome({ binding: 'post', form: { SAMLRequest: toBase64(artifact) } }, lenient),
      'binding_not_supported',
    );
  });
});

describe('garbage in the bindings', () => {
  it('refuses DEFLATE bombs at the size limit, repeated parameters, bad base64 and non-UTF-8', async () => {
    const bomb = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.alloc(50_000_000, 0x20)).toString('base64'))}`;
    assert.equal(await outcome({ binding: 'redirect', rawQuery: bomb }), 'malformed');
    const url = await redirectSaml().getAuthorizeUrlAsync('r', undefined, {});
    assert.equal(
      await outcome({ binding: 'redirect', rawQuery: `${rawQuery(url)}&RelayState=again` }),
      'malformed',
    );
    assert.equal(await outcome({ binding: 'post', form: { SAMLRequest: 'not base64!' } }), 'malformed');
    assert.equal(
      await outcome({
        binding: 'post',
        form: { SAMLRequest: Buffer.from([0xff, 0xfe, 0x3c]).toString('base64') },
      }),
      'malformed',
    );
    assert.equal(await outcome({ binding: 'post', form: {} }), 'malformed');
  });

  it('issue 11: refuses a NUL in the Issuer before looking the SP up (PostgreSQL refuses NUL in text: a 500)', async () => {
    const asked: string[] = [];
    const spy = {
      ...deps,
      findSp: async (entityId: string) => {
        asked.push(entityId);
        return null;
      },
    };
    const xml =
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_nul" Version="2.0" ' +
      `IssueInstant="${new Date(clock.now()).toISOString()}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">` +
      'https://sp&#0;.test</saml:Issuer></samlp:AuthnRequest>';
    assert.equal(await outcome({ binding: 'post', form: { SAMLRequest: toBase64(xml) } }, spy), 'malformed');
    assert.deepEqual(asked, []);
  });

  it('issue 11: refuses a request nested thousands of levels deep (it overflowed the stack: a 500)', async () => {
    const xml = (await signedPostXml()).replace(
      '</samlp:AuthnRequest>',
      `${'<a>'.repeat(9000)}${'</a>'.repeat(9000)}</samlp:AuthnRequest>`,
    );
    assert.equal(await post(xml), 'malformed');
  });
});
