import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createSigningCredential, type NewSigningCredential } from './create-signing-credential.ts';
import { loadSigningCredential } from './signing-credential.ts';

let one: NewSigningCredential;
let two: NewSigningCredential;
before(async () => {
  [one, two] = await Promise.all([
    createSigningCredential('one.test', { bits: 2048 }),
    createSigningCredential('two.test', { bits: 2048 }),
  ]);
});

describe('signing credential', () => {
  it('creates an RSA key with a self-signed certificate that loads', async () => {
    const credential = loadSigningCredential(one.privateKeyPem, one.certificatePem);
    assert.equal(credential.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(credential.notAfter > Date.now());
    const fresh = await createSigningCredential('idp.example.org');
    assert.equal(
      loadSigningCredential(fresh.privateKeyPem, fresh.certificatePem).privateKey.asymmetricKeyDetails
        ?.modulusLength,
      3072,
    );
  });

  it('refuses a certificate of another key, an EC key, a short RSA key, and unparsable PEM', () => {
    assert.throws(() => loadSigningCredential(one.privateKeyPem, two.certificatePem), /does not belong/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.throws(() => loadSigningCredential(ec as string, one.certificatePem), /must be RSA/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.throws(() => loadSigningCredential(short as string, one.certificatePem), /at least 2048/);
    assert.throws(() => loadSigningCredential('nope', one.certificatePem), /does not parse/);
    assert.throws(() => loadSigningCredential(one.privateKeyPem, 'nope'), /does not parse/);
  });

  it('refuses a certificate name that is not a host name (it goes into an openssl argument)', async () => {
    await assert.rejects(createSigningCredential('a/CN=evil'), /host name/);
  });
});
