// Property tests: whatever arrives, the readers answer with a refusal and never throw (which a front would turn
// into a 500), and no one-character change to what a signature covers is ever accepted.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import fc from 'fast-check';
import type { ManualClock } from '../../src/core/clock.ts';
import type { IdpSettings } from '../../src/saml/idp-settings.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import type { InboundDeps, InboundHttp } from '../../src/saml/read-inbound.ts';
import { readLogoutRequest, readLogoutResponse } from '../../src/saml/read-logout.ts';
import type { ReadResult } from '../../src/saml/refusal.ts';
import { defineSp } from '../../src/saml/sp-record.ts';
import { inboundDeps, rawQuery, realClock, rsaPair, SLO_URL, SSO_URL, testIdp } from './fixture.ts';

const SP_ID = 'https://sp.fuzz.test';
let idp: IdpSettings;
let clock: ManualClock;
let deps: InboundDeps;
let spKey: string;

before(async () => {
  ({ idp } = await testIdp());
  const pair = await rsaPair('sp.fuzz.test');
  spKey = pair.privateKeyPem;
  const sp = defineSp({
    entityId: SP_ID,
    acs: ['https://sp.fuzz.test/acs'],
    certificates: [pair.certificatePem],
  });
  clock = realClock();
  deps = inboundDeps(idp, [sp], clock);
});

const readers: Array<(input: InboundHttp) => Promise<ReadResult<unknown>>> = [
  (input) => readAuthnRequest(input, deps),
  (input) => readLogoutRequest(input, deps),
  (input) => readLogoutResponse(input, deps, '_pending'),
];

const deflated = (text: string) => encodeURIComponent(deflateRawSync(Buffer.from(text)).toString('base64'));

/** An AuthnRequest with `noise` dropped into an attribute value, an element's text, or between elements. */
const request = (noise: string, where: number) => {
  const parts = [
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_f${where === 0 ? noise : ''}" `,
    `Version="2.0" IssueInstant="${new Date(clock.now()).toISOString()}" Destination="${SSO_URL}">`,
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${where === 1 ? noise : SP_ID}</saml:Issuer>`,
    `${where === 2 ? noise : ''}</samlp:AuthnRequest>`,
  ];
  return parts.join('');
};

describe('garbage in, refusal out', () => {
  it('refuses arbitrary query strings and form values without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 400 }),
        async (text, bytes) => {
          for (const read of readers) {
            const inputs: InboundHttp[] = [
              { binding: 'redirect', rawQuery: text },
              {
                binding: 'redirect',
                rawQuery: `SAMLRequest=${deflated(text)}&SAMLResponse=${deflated(text)}`,
              },
              {
                binding: 'post',
                form: { SAMLRequest: Buffer.from(bytes).toString('base64'), SAMLResponse: text },
              },
            ];
            for (const input of inputs) assert.equal((await read(input)).ok, false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never throws on a request with arbitrary text in its attributes, its Issuer or its body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer({ min: 0, max: 2 }),
        async (noise, where) => {
          const xml = request(noise, where);
          for (const read of readers) {
            await read({ binding: 'redirect', rawQuery: `SAMLRequest=${deflated(xml)}` });
            await read({ binding: 'post', form: { SAMLRequest: Buffer.from(xml).toString('base64') } });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('what a Redirect signature covers', () => {
  it('accepts no one-character change to SAMLRequest, RelayState or SigAlg of a signed request', async () => {
    const saml = new SAML({
      entryPoint: SSO_URL,
      logoutUrl: SLO_URL,
      issuer: SP_ID,
      callbackUrl: 'https://sp.fuzz.test/acs',
      idpCert: 'unused',
      privateKey: spKey,
      signatureAlgorithm: 'sha256',
    });
    const query = rawQuery(await saml.getAuthorizeUrlAsync('relay-state', undefined, {}));
    const signedEnd = query.indexOf('&Signature=');
    assert.ok(signedEnd > 0 && query.startsWith('SAMLRequest='));
    const replacement = fc.constantFrom(...'AZaz09+/=%&-_.~'.split(''));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: signedEnd - 1 }),
        replacement,
        async (position, character) => {
          fc.pre(query[position] !== character);
          const changed = query.slice(0, position) + character + query.slice(position + 1);
          const read = await readAuthnRequest({ binding: 'redirect', rawQuery: changed }, deps);
          assert.equal(read.ok, false, `accepted after changing position ${position} to ${character}`);
        },
      ),
      { numRuns: 300 },
    );
    const original = await readAuthnRequest({ binding: 'redirect', rawQuery: query }, deps);
    assert.ok(original.ok, 'the unchanged request is accepted');
  });
});
