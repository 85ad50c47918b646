// Tests for the RFC 6030 PSKC importer: RFC figures, encryption, MAC checks and error reporting.
import assert from 'node:assert/strict';
import { createCipheriv, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ImportResult } from './imported-token.ts';
import { parseTokenPskc } from './pskc.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/tokens/${name}`, import.meta.url), 'utf8');
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
// RFC 6030 §6.1: the pre-shared key is the 16 bytes given in hex as 12345678901234567890123456789012.
const PSK = Uint8Array.from(Buffer.from('12345678901234567890123456789012', 'hex'));

function tokensOf(result: ImportResult) {
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(!result.ok && result.errors)}`);
  return result.tokens;
}
function errorsOf(result: ImportResult) {
  assert.ok(!result.ok, 'expected the import to fail');
  return result.errors;
}

test('RFC 6030 Figure 3: plain HOTP key with serial, 8 digits and counter', () => {
  assert.deepEqual(tokensOf(parseTokenPskc(fixture('rfc6030-figure3.pskc.xml'))), [
    {
      serial: '987654321',
      kind: 'hotp',
      secret: RFC_SECRET,
      digits: 8,
      algorithm: 'sha1',
      counter: 0n,
      period: 0,
    },
  ]);
});

test('RFC 6030 Figure 2: falls back to Key Id, but its 4-byte secret is too short', () => {
  assert.deepEqual(errorsOf(parseTokenPskc(fixture('rfc6030-figure2.pskc.xml'))), [
    { line: 1, field: 'Data/Secret', message: 'secret is 4 bytes; it must be 10 to 64 bytes' },
  ]);
  // The same container with a 20-byte secret imports under the Key Id.
  const longer = fixture('rfc6030-figure2.pskc.xml').replace('MTIzNA==', 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=');
  assert.equal(tokensOf(parseTokenPskc(longer))[0]!.serial, '12345678');
});

test('RFC 6030 §6.1 Figure 6: AES-128-CBC secret decrypts with the pre-shared key and its MAC checks', () => {
  assert.deepEqual(tokensOf(parseTokenPskc(fixture('rfc6030-figure6.pskc.xml'), { preSharedKey: PSK })), [
    {
      serial: '987654321',
      kind: 'hotp',
      secret: RFC_SECRET,
      digits: 8,
      algorithm: 'sha1',
      counter: 0n,
      period: 0,
    },
  ]);
});

test('an encrypted file without a key says a key is needed', () => {
  const errors = errorsOf(parseTokenPskc(fixture('rfc6030-figure6.pskc.xml')));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /encrypted; a pre-shared key is needed/);
});

test('a wrong pre-shared key is rejected', () => {
  const wrong = Uint8Array.from(Buffer.from('00000000000000000000000000000000', 'hex'));
  const errors = errorsOf(parseTokenPskc(fixture('rfc6030-figure6.pskc.xml'), { preSharedKey: wrong }));
  assert.match(errors[0]!.message, /MACKey: could not decrypt|ValueMAC does not match/);
  const short = errorsOf(
    parseTokenPskc(fixture('rfc6030-figure6.pskc.xml'), { preSharedKey: PSK.slice(0, 8) }),
  );
  assert.match(short[0]!.message, /pre-shared key is 8 bytes but aes-128-cbc needs 16/);
});

test('a ValueMAC mismatch is rejected', () => {
  const tampered = fixture('rfc6030-figure6.pskc.xml').replace(
    'Su+NvtQfmvfJzF6bmQiJqoLRExc=',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  );
  assert.deepEqual(errorsOf(parseTokenPskc(tampered, { preSharedKey: PSK })), [
    {
      line: 1,
      field: 'Data/Secret',
      message: 'ValueMAC does not match: the file was altered or the pre-shared key is wrong',
    },
  ]);
  const flipped = fixture('rfc6030-figure6.pskc.xml').replace(
    'AAECAwQFBgcICQoLDA0OD+cI',
    'AAECAwQFBgcICQoLDA0OD+cJ',
  );
  assert.match(
    errorsOf(parseTokenPskc(flipped, { preSharedKey: PSK }))[0]!.message,
    /ValueMAC does not match/,
  );
});

test('a missing ValueMAC is rejected when the file declares a MACMethod', () => {
  const stripped = fixture('rfc6030-figure6.pskc.xml').replace(/<ValueMAC>[^<]*<\/ValueMAC>/, '');
  assert.match(errorsOf(parseTokenPskc(stripped, { preSharedKey: PSK }))[0]!.message, /ValueMAC is missing/);
});

/** Encrypts `plain` as an RFC 6030 §6.1 CipherValue (IV || AES-128-CBC ciphertext), base64. */
function encrypt(key: Uint8Array, plain: Uint8Array, iv: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

test('own fixture: prefixed namespaces, TOTP with Suite and TimeInterval, encrypted without MAC', () => {
  const iv = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const secret = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
  const cipherValue = encrypt(PSK, secret, iv).toString('base64');
  const xml = `<?xml version="1.0"?>
<p:KeyContainer Version="1.0" xmlns:p="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:e="http://www.w3.org/2001/04/xmlenc#">
  <p:KeyPackage>
    <p:DeviceInfo><p:SerialNo>TOTP-1</p:SerialNo></p:DeviceInfo>
    <p:Key Id="k1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
      <p:AlgorithmParameters><p:Suite>HMAC-SHA256</p:Suite><p:ResponseFormat Length="6" Encoding="DECIMAL"/></p:AlgorithmParameters>
      <p:Data>
        <p:Secret><p:EncryptedValue>
          <e:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
          <e:CipherData><e:CipherValue>${cipherValue}</e:CipherValue></e:CipherData>
        </p:EncryptedValue></p:Secret>
        <p:TimeInterval><p:PlainValue>60</p:PlainValue></p:TimeInterval>
      </p:Data>
    </p:Key>
  </p:KeyPackage>
</p:KeyContainer>`;
  assert.deepEqual(tokensOf(parseTokenPskc(xml, { preSharedKey: PSK })), [
    { serial: 'TOTP-1', kind: 'totp', secret, digits: 6, algorithm: 'sha256', counter: 0n, period: 60 },
  ]);
});

test('own fixture: MAC with hmac-sha1 over IV || ciphertext, built with node:crypto', () => {
  const macKey = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
  const wrappedMacKey = encrypt(PSK, macKey, new Uint8Array(16).fill(9));
  const cipherValue = encrypt(PSK, RFC_SECRET, new Uint8Array(16).fill(3));
  const mac = createHmac('sha1', macKey).update(cipherValue).digest('base64');
  const xml = fixture('rfc6030-figure6.pskc.xml')
    .replace(/ESIzRFVm[^<]*/, wrappedMacKey.toString('base64'))
    .replace(/AAECAwQF[^<]*/, cipherValue.toString('base64'))
    .replace(/Su\+NvtQf[^<]*/, mac);
  assert.deepEqual(tokensOf(parseTokenPskc(xml, { preSharedKey: PSK }))[0]!.secret, RFC_SECRET);
});

/** A container with the given KeyPackage bodies (plain secrets). */
function container(...packages: string[]): string {
  const body = packages.map((p) => `<KeyPackage>${p}</KeyPackage>`).join('\n');
  return `<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">\n${body}\n</KeyContainer>`;
}
const goodPackage = (serial: string) =>
  `<DeviceInfo><SerialNo>${serial}</SerialNo></DeviceInfo><Key Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
   <Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret>
   <Counter><PlainValue>42</PlainValue></Counter></Data></Key>`;

test('one bad KeyPackage among good ones: nothing is imported and its index is reported', () => {
  const bad = goodPackage('B').replace('pskc:hotp', 'pskc:ocra');
  const errors = errorsOf(parseTokenPskc(container(goodPackage('A'), bad, goodPackage('C'))));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 2);
  assert.equal(errors[0]!.field, 'Key/@Algorithm');
  assert.match(errors[0]!.message, /unsupported Key Algorithm/);
});

test('lists every error across KeyPackages', () => {
  const xml = container(
    goodPackage('A'),
    goodPackage('A'),
    goodPackage('C').replace('MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=', 'not base64!'),
    goodPackage('D').replace('<PlainValue>42', '<PlainValue>-3'),
    '<Key Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp"><Data/></Key>',
    goodPackage('F').replace(
      '<Data>',
      '<AlgorithmParameters><ResponseFormat Length="7"/></AlgorithmParameters><Data>',
    ),
  );
  const errors = errorsOf(parseTokenPskc(xml));
  assert.deepEqual(
    errors.map((e) => [e.line, e.field]),
    [
      [2, 'DeviceInfo/SerialNo'],
      [3, 'Data/Secret'],
      [4, 'Data/Counter'],
      [5, 'DeviceInfo/SerialNo'],
      [5, 'Data/Secret'],
      [6, 'ResponseFormat/@Length'],
    ],
  );
  assert.match(errors[0]!.message, /duplicate serial "A"/);
  assert.match(errors[1]!.message, /not valid base64/);
});

test('malformed XML gives one clear error', () => {
  const errors = errorsOf(parseTokenPskc('<KeyContainer>\n<KeyPackage>\n</KeyContainer>'));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^malformed XML/);
  assert.equal(errors[0]!.line, 3);
  assert.match(errorsOf(parseTokenPskc(''))[0]!.message, /malformed XML/);
  assert.match(errorsOf(parseTokenPskc('<a/>'))[0]!.message, /document element must be KeyContainer/);
  assert.match(
    errorsOf(parseTokenPskc('<!DOCTYPE x [<!ENTITY a "b">]><KeyContainer/>'))[0]!.message,
    /DOCTYPE/,
  );
});

test('rejects password-based encryption, unknown MAC algorithms and other versions', () => {
  const derived = container(goodPackage('A')).replace(
    '<KeyPackage>',
    '<EncryptionKey><DerivedKey/></EncryptionKey><KeyPackage>',
  );
  assert.match(errorsOf(parseTokenPskc(derived, { preSharedKey: PSK }))[0]!.message, /DerivedKey/);
  const badMac = fixture('rfc6030-figure6.pskc.xml').replace('xmldsig#hmac-sha1', 'xmldsig#hmac-md5');
  assert.match(
    errorsOf(parseTokenPskc(badMac, { preSharedKey: PSK }))[0]!.message,
    /unsupported MAC algorithm/,
  );
  const v2 = container(goodPackage('A')).replace('Version="1.0"', 'Version="2.0"');
  assert.match(errorsOf(parseTokenPskc(v2))[0]!.message, /unsupported PSKC version/);
});
