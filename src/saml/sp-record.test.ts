import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isCountersignError } from '../core/errors.ts';
import { normalizePem } from './certificates.ts';
import { createSigningCredential } from './create-signing-credential.ts';
import { AUTHN_CONTEXT } from './names.ts';
import { defaultAcs, defineSp } from './sp-record.ts';

let certificate: string;
before(async () => {
  ({ certificatePem: certificate } = await createSigningCredential('sp.test', { bits: 2048 }));
});

describe('defineSp', () => {
  it('fills the defaults of a hand-typed SP: POST ACS, unspecified NameID from the username, assertion-only signing', () => {
    const sp = defineSp({ entityId: 'https://sp.test', acs: ['https://sp.test/acs'] });
    assert.deepEqual(sp.acs, [{ url: 'https://sp.test/acs', index: 0, isDefault: true }]);
    assert.deepEqual(sp.nameId, { format: 'unspecified', source: 'username' });
    assert.equal(sp.audience, 'https://sp.test');
    assert.equal(sp.signResponse, false);
    assert.equal(sp.wantAuthnRequestsSigned, false);
    assert.deepEqual(sp.authnContext, {
      default: AUTHN_CONTEXT.passwordProtectedTransport,
      secondFactor: AUTHN_CONTEXT.passwordProtectedTransport,
    });
    assert.equal(
      defineSp({ entityId: 'x', acs: ['https://a.test'], nameId: { format: 'emailAddress' } }).nameId.source,
      'email',
    );
    assert.equal(
      defineSp({ entityId: 'x', acs: ['https://a.test'], nameId: { format: 'persistent' } }).nameId.source,
      'userId',
    );
  });

  it('reports every problem at once as INVALID_INPUT', () => {
    assert.throws(
      () => defineSp({ entityId: 'x', acs: ['https://sp.test/acs'], wantAuthnRequestsSigned: true }),
      (error: unknown) =>
        isCountersignError(error, 'INVALID_INPUT') && /no certificate is registered/.test(error.detail ?? ''),
    );
    assert.throws(
      () =>
        defineSp({
          entityId: ' ',
          acs: ['http://sp.test/acs', 'not a url'],
          certificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'],
          wantAuthnRequestsSigned: true,
        }),
      (error: unknown) =>
        isCountersignError(error, 'INVALID_INPUT') &&
        [
          'entityId',
          "'http://sp.test/acs' must be https",
          "'not a url' is not a URL",
          'does not parse',
        ].every((part) => (error.detail ?? '').includes(part)),
    );
  });

  it('allows plain http on localhost only (for local testing), and normalizes certificates', () => {
    const sp = defineSp({
      entityId: 'x',
      acs: ['http://localhost:3000/acs'],
      certificates: [`\n\n${certificate}\n`],
    });
    assert.equal(sp.certificates[0], normalizePem(certificate));
    assert.equal(sp.certificates[0]!.startsWith('-----BEGIN CERTIFICATE-----'), true);
  });

  it('is plain data: a record survives JSON and defineSp unchanged (how a store would keep it)', () => {
    const sp = defineSp({
      entityId: 'https://sp.test',
      acs: ['https://sp.test/acs', 'https://sp.test/acs2'],
      certificates: [certificate],
      nameId: { format: 'persistent', source: { attribute: 'immutableId' } },
      attributes: [{ name: 'IDPEmail', source: 'username', required: true }],
      slo: [{ binding: 'redirect', url: 'https://sp.test/slo', responseUrl: 'https://sp.test/slo' }],
      signResponse: true,
    });
    assert.deepEqual(defineSp(JSON.parse(JSON.stringify(sp))), sp);
  });

  it('takes the default ACS from isDefault, else the lowest index', () => {
    const acs = (isDefault: boolean) => [
      { url: 'https://sp.test/b', index: 2, isDefault: false },
      { url: 'https://sp.test/a', index: 1, isDefault: false },
      { url: 'https://sp.test/c', index: 3, isDefault },
    ];
    assert.equal(defaultAcs(defineSp({ entityId: 'x', acs: acs(true) })).url, 'https://sp.test/c');
    assert.equal(defaultAcs(defineSp({ entityId: 'x', acs: acs(false) })).url, 'https://sp.test/a');
  });
});
