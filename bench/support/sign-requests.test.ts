// The pre-signed requests pass Countersign's own verifier, and a changed byte does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFormPairs, verifyDuoRequest } from '../../src/crypto/duo-signature/index.ts';
import { checkSigner, type PreparedRequest, passcodeSigner, signPasscodeRequest } from './sign-requests.ts';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const DATE = 'Tue, 21 Aug 2012 17:29:18 GMT';
const NOW = Date.parse(DATE);

function verify(request: PreparedRequest) {
  return verifyDuoRequest(
    {
      method: request.method,
      host: request.headers.host!,
      path: request.path,
      queryPairs: [],
      body: { type: 'form', pairs: parseFormPairs(request.body) ?? [] },
      rawBody: Buffer.from(request.body),
      headers: request.headers,
    },
    { lookupSecret: async (ikey) => (ikey === IKEY ? SKEY : null), nowMs: NOW },
  );
}

const users = [
  { username: 'user0000', passcode: '123456789', ipaddr: '10.0.0.0' },
  { username: 'alice smith', passcode: '000000001', ipaddr: '10.0.0.1' },
];
const options = { ikey: IKEY, skey: SKEY, host: '127.0.0.1:8080' };
const signed = users.map((user, index) => signPasscodeRequest(user, `n${index}`, DATE, options));

test('a form-encoded passcode request per user, with its address and nonce', () => {
  assert.deepEqual(
    signed.map((request) => request.body),
    [
      'factor=passcode&hostname=n0&ipaddr=10.0.0.0&passcode=123456789&username=user0000',
      'factor=passcode&hostname=n1&ipaddr=10.0.0.1&passcode=000000001&username=alice+smith',
    ],
  );
  assert.equal(signed[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('every request verifies as signature v2 with HMAC-SHA512', async () => {
  for (const request of signed) {
    assert.deepEqual(await verify(request), {
      ok: true,
      ikey: IKEY,
      version: 2,
      algorithm: 'sha512',
      params: parseFormPairs(request.body),
    });
  }
});

test('a request whose body was changed after signing is rejected', async () => {
  const tampered = { ...signed[0]!, body: signed[0]!.body.replace('user0000', 'user0001') };
  const result = await verify(tampered);
  assert.equal(result.ok, false);
});

test('the signer never signs the same request twice, even for one user within one second', () => {
  const signer = passcodeSigner({ ...options, noncePrefix: 'x-' });
  const requests = Array.from({ length: 1_000 }, () => signer.next(users[0]!));
  assert.equal(new Set(requests.map((request) => request.headers.authorization)).size, 1_000);
  assert.equal(signer.signed(), 1_000);
  assert.match(requests[999]!.body, /hostname=x-999&/);
});

test('a check request is a signed POST /auth/v2/check with no parameters, re-signed when the second changes', async () => {
  const check = checkSigner(options).next();
  assert.equal(check.path, '/auth/v2/check');
  assert.equal(check.body, '');
  const result = await verifyDuoRequest(
    {
      method: 'POST',
      host: check.headers.host!,
      path: check.path,
      queryPairs: [],
      body: { type: 'form', pairs: [] },
      rawBody: Buffer.alloc(0),
      headers: check.headers,
    },
    { lookupSecret: async (ikey) => (ikey === IKEY ? SKEY : null), nowMs: Date.parse(check.headers.date!) },
  );
  assert.equal(result.ok, true);
});
