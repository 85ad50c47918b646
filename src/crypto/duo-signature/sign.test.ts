// Signing against every vector of wire reference §2.7 and duo_client_python's own tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalV4, sha512Hex, xDuoHeaderHash } from './canonical-request.ts';
import { authorizationHeader, DuoSignError, hmacHex, signV2, signV4, signV5 } from './sign.ts';
import {
  DOC,
  DOC_AUTH_PARAMS,
  DOC_V5_BODY,
  PYTHON_JSON_STRING,
  PYTHON_REQUEST,
  PYTHON_UNICODE_PARAMS,
} from './test-vectors.ts';

const EMPTY_SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe('signV2', () => {
  const node = {
    date: 'Tue, 21 Aug 2012 17:29:18 -0000',
    method: 'POST',
    host: 'test.duosecurity.com',
    path: '/test/v1',
    params: [
      ['realname', 'First Last'],
      ['username', 'root'],
    ] as Array<[string, string]>,
    skey: 'test_skey',
  };

  it('matches the Node duo_api sign() vector (HMAC-SHA512)', () => {
    const sig = signV2({ ...node, algorithm: 'sha512' });
    assert.equal(
      sig,
      '042a30c682bd836fc5ba467891a956eaa10091ca0f73a7fb396aefd56a3529e56932dea427a67213af664ba6841689ff2336b7a373766ea5ab7ab9fe2638226b',
    );
  });

  it('matches the HMAC-SHA1 of the Node vector', () => {
    assert.equal(signV2({ ...node, algorithm: 'sha1' }), '7db13501cda6278f27987468405fe8be61b5e3e3');
  });

  it('matches duo_client_python test_hmac_sha1 and test_hmac_sha512', () => {
    const input = { ...PYTHON_REQUEST, params: PYTHON_UNICODE_PARAMS };
    assert.equal(signV2({ ...input, algorithm: 'sha1' }), 'f01811cbbf9561623ab45b893096267fd46a5178');
    assert.equal(
      signV2({ ...input, algorithm: 'sha512' }),
      '0508065035a03b2a1de2f453e629e791d180329e157f65df6b3e0f08299d4321e1c5c7a7c7ee6b9e5fc80d1fb6fbf3ad5eb7c44dd3b3985a02c37aca53ec3698',
    );
  });

  it('matches the document v2 POST /auth/v2/auth vectors', () => {
    const input = { ...DOC, method: 'POST', path: '/auth/v2/auth', params: DOC_AUTH_PARAMS };
    assert.equal(
      signV2({ ...input, algorithm: 'sha512' }),
      '9a635a5111b099d79fad96a004601dc370fe8b343bbe7db4abf0d5f21116d5d6deadb712441055f3daff0936271d8ce12791af76fd545bda6680affee1d55049',
    );
    assert.equal(signV2({ ...input, algorithm: 'sha1' }), '9095c22ab919f2305495924ce497d355da49404e');
  });
});

describe('signV5', () => {
  const post = { ...DOC, method: 'POST', path: '/auth/v2/auth', params: [], body: DOC_V5_BODY };

  it('hashes the document body as published', () => {
    assert.equal(
      sha512Hex(DOC_V5_BODY),
      '121ebc698c7f99dd7b6aad95a95f591c32af3ee54efb2cd7730c2f4aa7302570087048ae028bc535447a29c364b0a0484fbe49fba886f5c8d9e86b9a949a6725',
    );
  });

  it('matches the v5 POST vector without X-Duo headers', () => {
    assert.equal(
      signV5({ ...post, xDuoHeaders: {} }),
      '1b3ccb53d7f5d81e15bc72a62396f6baf9b091722597f80cbed6034fa8ec3d4bea4f0716fa2c0860d64226f821ddb37af42ffe84cd1fc113a7a54f1d4464890e',
    );
  });

  it('matches the v5 POST vector with X-Duo-Test: yes', () => {
    assert.equal(
      xDuoHeaderHash([['X-Duo-Test', 'yes']]),
      '7f9228600e1f913b2aff9a5123eddd6e5890c2dd76cc26b8ebb02c3248cd5b8873f1869778f8c61680fea3ac9dcb2d8e72cb84e4cb356bca8f202f8b70439db5',
    );
    assert.equal(
      signV5({ ...post, xDuoHeaders: { 'X-Duo-Test': 'yes' } }),
      'efe9f1def8b1e0f2425b0746b4232798b0b8bb2aae7f31e68f7746255c3409053cb7c482a2aff1bd2480e5b2fe76567adcdbe309231abf0d7590125780acbe0b',
    );
  });

  it('matches the v5 GET /auth/v2/auth_status vector with an empty body', () => {
    const sig = signV5({
      ...DOC,
      method: 'GET',
      path: '/auth/v2/auth_status',
      params: [['txid', '45f7c92b-f45f-4862-8545-e0f58e78075a']],
      body: new Uint8Array(0),
      xDuoHeaders: {},
    });
    assert.equal(
      sig,
      'c3d2c91eaba8d1e9641cfd6f038249dd25b3922b408c6785394431bb5530572c4c1f91f1c6a3fc4b6b646d48b1bc92d8e370b1a8073e4cc467c49b44e66f97e5',
    );
  });

  it('hashes the X-Duo header block like duo_client_python (lowercase, sorted, NUL-joined)', () => {
    assert.equal(xDuoHeaderHash([]), EMPTY_SHA512);
    assert.equal(
      xDuoHeaderHash([['X-Duo-Header-1', 'header_value_1']]),
      '630b4bfe7e9abd03da2eee8f0a5d4e60a254ec880a839bcc2223bb5b9443e8ef24d58f0254f1f5934bf8c017ebd0fd5b1acf86766bdbe74185e712a4092df3ed',
    );
    assert.equal(
      xDuoHeaderHash([
        ['X-Duo-B', 'header_value_2'],
        ['x-duo-A', 'header_value_1'],
      ]),
      '60be11a30e0756f2ee2afdce1db849b987dcf86c1133394bd7bbbc9877920330c4d78aceacbb377ab8cbd9a8efe6a410fed4047376635ac71226ab46ca10d2b1',
    );
  });

  it('rejects headers Python duo_client would refuse, with a typed error', () => {
    assert.throws(() => signV5({ ...post, xDuoHeaders: { 'X-Other': 'a' } }), DuoSignError);
    assert.throws(() => signV5({ ...post, xDuoHeaders: { 'X-Duo-A': '1', 'x-duo-a': '2' } }), /twice/);
    assert.throws(() => signV5({ ...post, xDuoHeaders: { 'X-Duo-A': 'a\0b' } }), /NUL/);
  });
});

describe('signV4', () => {
  it('builds the canonical string of duo_client_python tests/test_client.py test_v4_with_json', () => {
    const head = {
      date: 'Tue, 04 Jul 2017 14:12:00',
      method: 'POST',
      host: 'foO.BaR52.cOm',
      path: '/Foo/BaR2/qux',
    };
    assert.equal(
      canonicalV4(head, '', PYTHON_JSON_STRING),
      `Tue, 04 Jul 2017 14:12:00\nPOST\nfoo.bar52.com\n/Foo/BaR2/qux\n\n${sha512Hex(PYTHON_JSON_STRING)}`,
    );
  });

  it('is HMAC-SHA512 of that string, and differs from v5 only by the missing header-block line', () => {
    const input = { ...DOC, method: 'POST', path: '/auth/v2/auth', params: [], body: DOC_V5_BODY };
    const canonical = `${DOC.date}\nPOST\n${DOC.host.toLowerCase()}\n/auth/v2/auth\n\n${sha512Hex(DOC_V5_BODY)}`;
    assert.equal(signV4(input), hmacHex('sha512', DOC.skey, canonical));
    const v5 = hmacHex('sha512', DOC.skey, `${canonical}\n${EMPTY_SHA512}`);
    assert.equal(v5, signV5({ ...input, xDuoHeaders: {} }));
    assert.notEqual(signV4(input), v5);
  });
});

describe('authorizationHeader', () => {
  it('is Basic base64(ikey:hex) as in duo_client_python test_hmac_sha1', () => {
    const expected = `Basic ${Buffer.from('test_ikey:f01811cbbf9561623ab45b893096267fd46a5178').toString('base64')}`;
    assert.equal(authorizationHeader('test_ikey', 'f01811cbbf9561623ab45b893096267fd46a5178'), expected);
    assert.equal(expected, 'Basic dGVzdF9pa2V5OmYwMTgxMWNiYmY5NTYxNjIzYWI0NWI4OTMwOTYyNjdmZDQ2YTUxNzg=');
  });
});
