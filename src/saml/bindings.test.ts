import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { decodePost, decodeRedirect, encodePost, encodeRedirect } from './bindings.ts';
import { DSIG } from './names.ts';
import { SamlRefusal } from './refusal.ts';
import type { SigningCredential } from './signing-credential.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const credential: SigningCredential = { privateKey, certificatePem: '', notAfter: 0 };
const XML = '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>';

const refusal = (run: () => unknown): string => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
};

describe('HTTP-Redirect binding', () => {
  it('round-trips: the signed octets are the query as sent, and our signature verifies over them', () => {
    const url = encodeRedirect(
      'https://sp.test/slo?existing=1',
      'SAMLResponse',
      XML,
      'state & more',
      credential,
    );
    assert.ok(url.startsWith('https://sp.test/slo?existing=1&SAMLResponse='));
    const decoded = decodeRedirect(url.slice(url.indexOf('?') + 1), 'SAMLResponse');
    assert.equal(decoded.xml, XML);
    assert.equal(decoded.relayState, 'state & more');
    const signature = decoded.redirectSignature!;
    assert.equal(signature.sigAlg, DSIG.rsaSha256);
    const query = url.slice(url.indexOf('?') + 1);
    assert.equal(
      signature.signedOctets.toString(),
      query.slice(query.indexOf('SAMLResponse='), query.indexOf('&Signature=')),
    );
    assert.equal(verify('sha256', signature.signedOctets, publicKey, signature.signature), true);
  });

  it('builds the signed octets in the order of §3.4.4.1 whatever the order of the query', () => {
    const message = encodeURIComponent(deflateRawSync(Buffer.from(XML)).toString('base64'));
    const query = `Signature=c2ln&SigAlg=alg&RelayState=r%20s&SAMLRequest=${message}&other=1`;
    const decoded = decodeRedirect(query, 'SAMLRequest');
    assert.equal(
      decoded.redirectSignature?.signedOctets.toString(),
      `SAMLRequest=${message}&RelayState=r%20s&SigAlg=alg`,
    );
  });

  it('refuses a repeated parameter, half a signature, a foreign encoding, a long RelayState', () => {
    const message = encodeURIComponent(deflateRawSync(Buffer.from(XML)).toString('base64'));
    assert.equal(
      refusal(() => decodeRedirect(`SAMLRequest=${message}&SAMLRequest=${message}`, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodeRedirect(`SAMLRequest=${message}&SigAlg=x`, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodeRedirect(`SAMLRequest=${message}&SAMLEncoding=gzip`, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodeRedirect(`SAMLRequest=${message}&RelayState=${'r'.repeat(1025)}`, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodeRedirect(`SAMLRequest=%zz`, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodeRedirect('RelayState=x', 'SAMLRequest')),
      'malformed',
    );
  });
});

describe('HTTP-POST binding', () => {
  it('round-trips, allowing the line breaks some senders wrap base64 with', () => {
    const value = encodePost(XML);
    assert.equal(decodePost(value.replace(/(.{20})/g, '$1\r\n'), 'r', 'SAMLResponse').xml, XML);
  });

  it('refuses DEFLATEd or otherwise non-XML payloads only later, but non-base64 at once', () => {
    assert.equal(
      refusal(() => decodePost('a*b', undefined, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodePost('abc', undefined, 'SAMLRequest')),
      'malformed',
    );
    assert.equal(
      refusal(() => decodePost(undefined, undefined, 'SAMLRequest')),
      'malformed',
    );
  });
});
