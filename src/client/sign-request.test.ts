// The client's signer against the wire reference's §2.7 vectors, and what it puts on the wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSignedRequest } from './sign-request.ts';

const BASE = {
  ikey: 'DIXXXXXXXXXXXXXXXXXX',
  skey: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
  date: 'Tue, 21 Aug 2012 17:29:18 -0000',
  host: 'API-XXXXXXXX.duosecurity.com',
};

function signatureOf(authorization: string | undefined): string {
  if (authorization === undefined || !authorization.startsWith('Basic ')) {
    assert.fail(`expected a Basic Authorization header, got ${authorization}`);
  }
  const [ikey, signature] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
  assert.equal(ikey, BASE.ikey);
  return signature ?? '';
}

test('v2 POST: the §2.7 HMAC-SHA512 vector, sent as a form body encoded as it is signed', () => {
  const request = buildSignedRequest({
    ...BASE,
    method: 'POST',
    path: '/auth/v2/auth',
    signatureVersion: 2,
    params: {
      username: 'alice@example.com',
      factor: 'push',
      device: 'auto',
      async: 1,
      pushinfo: 'from=login portal&domain=example.com',
    },
  });
  assert.equal(
    signatureOf(request.headers.Authorization),
    '9a635a5111b099d79fad96a004601dc370fe8b343bbe7db4abf0d5f21116d5d6deadb712441055f3daff0936271d8ce12791af76fd545bda6680affee1d55049',
  );
  assert.equal(request.target, '/auth/v2/auth');
  assert.equal(request.headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.equal(
    request.body.toString(),
    'username=alice%40example.com&factor=push&device=auto&async=1&pushinfo=from%3Dlogin%20portal%26domain%3Dexample.com',
  );
});

test('v5 POST: the §2.7 vector, a JSON body and an empty parameter line', () => {
  const request = buildSignedRequest({
    ...BASE,
    method: 'POST',
    path: '/auth/v2/auth',
    signatureVersion: 5,
    params: { factor: 'push', username: 'alice@example.com' },
  });
  assert.equal(request.body.toString(), '{"factor":"push","username":"alice@example.com"}');
  assert.equal(request.headers['Content-Type'], 'application/json');
  assert.equal(
    signatureOf(request.headers.Authorization),
    '1b3ccb53d7f5d81e15bc72a62396f6baf9b091722597f80cbed6034fa8ec3d4bea4f0716fa2c0860d64226f821ddb37af42ffe84cd1fc113a7a54f1d4464890e',
  );
});

test('v5 GET: the §2.7 auth_status vector, parameters in the query and no body', () => {
  const txid = '45f7c92b-f45f-4862-8545-e0f58e78075a';
  const request = buildSignedRequest({
    ...BASE,
    method: 'get',
    path: '/auth/v2/auth_status',
    signatureVersion: 5,
    params: { txid },
  });
  assert.equal(request.method, 'GET');
  assert.equal(request.target, `/auth/v2/auth_status?txid=${txid}`);
  assert.equal(request.body.length, 0);
  assert.equal(request.headers['Content-Type'], undefined);
  assert.equal(
    signatureOf(request.headers.Authorization),
    'c3d2c91eaba8d1e9641cfd6f038249dd25b3922b408c6785394431bb5530572c4c1f91f1c6a3fc4b6b646d48b1bc92d8e370b1a8073e4cc467c49b44e66f97e5',
  );
});

test('undefined parameters are left out of the wire and the signature', () => {
  const withUndefined = buildSignedRequest({
    ...BASE,
    method: 'GET',
    path: '/auth/v2/check',
    signatureVersion: 2,
    params: { ignored: undefined },
  });
  const without = buildSignedRequest({
    ...BASE,
    method: 'GET',
    path: '/auth/v2/check',
    signatureVersion: 2,
    params: {},
  });
  assert.deepEqual(withUndefined, without);
  assert.equal(without.target, '/auth/v2/check');
});
