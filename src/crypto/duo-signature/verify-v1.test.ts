// verifyV1Request and signV1: duo_unix 1.11.3's REST v1 signature, checked against bytes its login_duo sent.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { authorizationHeader, signV1 } from './sign.ts';
import { oneSecret, toSignedRequest, type WireRequest } from './verify-test-helpers.ts';
import { verifyV1Request } from './verify-v1.ts';

/**
 * A preauth Debian's login_duo 1.11.3 sent (`login_duo -c conf -f alice`, host `localhost:41369` in the conf), as
 * captured on the wire: the Authorization header is the client's, not computed here.
 */
const CAPTURED = {
  ikey: 'DIXXXXXXXXXXXXXXXXXX',
  skey: 'a'.repeat(40),
  wire: {
    method: 'POST',
    host: 'localhost:41369',
    path: '/rest/v1/preauth.bson',
    form: 'failmode=closed&hostname=vm&user=alice',
  } satisfies WireRequest,
  authorization: 'Basic RElYWFhYWFhYWFhYWFhYWFhYWFg6M2JjNmU0MDU1ZTlmNzYzMDg2ODllM2JjZjJmYjcyYzk3ZGZkOWY4OA==',
};

const deps = { lookupSecret: oneSecret(CAPTURED.ikey, CAPTURED.skey) };

describe('REST v1 signatures', () => {
  it('accepts the request login_duo 1.11.3 signed, and reads the parameters it covers', async () => {
    const result = await verifyV1Request(toSignedRequest(CAPTURED.wire, CAPTURED.authorization), deps);
    assert.deepEqual(result, {
      ok: true,
      ikey: CAPTURED.ikey,
      params: [
        ['failmode', 'closed'],
        ['hostname', 'vm'],
        ['user', 'alice'],
      ],
    });
  });

  it('signV1 reproduces the client: HMAC-SHA1 of METHOD, host without port, path and the pairs', () => {
    const signature = signV1({
      method: 'POST',
      host: 'localhost',
      path: '/rest/v1/preauth.bson',
      params: [
        ['user', 'alice'],
        ['hostname', 'vm'],
        ['failmode', 'closed'],
      ],
      skey: CAPTURED.skey,
    });
    assert.equal(authorizationHeader(CAPTURED.ikey, signature), CAPTURED.authorization);
  });

  it('sorts whole `key=value` strings with strcmp, as _argv_to_qs does, and encodes as urlenc_encode', () => {
    // strcmp puts `a-b=2` before `a=1` ('-' < '='); a key sort would not. A space is %20, never '+'.
    const canonical = 'GET\nmfa.example.org\n/rest/v1/status.bson\na-b=2&a=1&txid=x%20y%2By';
    const expected = createHmac('sha1', 'k').update(canonical).digest('hex');
    const params: Array<[string, string]> = [
      ['txid', 'x y+y'],
      ['a', '1'],
      ['a-b', '2'],
    ];
    assert.equal(
      signV1({ method: 'GET', host: 'mfa.example.org', path: '/rest/v1/status.bson', params, skey: 'k' }),
      expected,
    );
  });

  it('tries the host as sent (duo_unix keeps its case), lowercased, and the public host', async () => {
    const params: Array<[string, string]> = [['txid', 'abc']];
    const request = (signedHost: string, sentHost: string) =>
      toSignedRequest(
        { method: 'GET', host: sentHost, path: '/rest/v1/status.bson', query: 'txid=abc' },
        authorizationHeader(
          'DIK',
          signV1({ method: 'GET', host: signedHost, path: '/rest/v1/status.bson', params, skey: 's' }),
        ),
      );
    const keyed = { lookupSecret: oneSecret('DIK', 's') };
    assert.equal((await verifyV1Request(request('MFA.Example.org', 'MFA.Example.org:8443'), keyed)).ok, true);
    assert.equal((await verifyV1Request(request('mfa.example.org', 'MFA.Example.org:8443'), keyed)).ok, true);
    assert.equal((await verifyV1Request(request('mfa.example.org', 'internal:8443'), keyed)).ok, false);
    const proxied = { ...keyed, publicHost: 'mfa.example.org' };
    assert.equal((await verifyV1Request(request('mfa.example.org', 'internal:8443'), proxied)).ok, true);
  });

  it('refuses what no REST v1 client signed: 40101, 40102, 40103', async () => {
    const signed = toSignedRequest(CAPTURED.wire, CAPTURED.authorization);
    const code = async (req: typeof signed) => {
      const result = await verifyV1Request(req, deps);
      return result.ok ? 'ok' : result.code;
    };
    assert.equal(await code({ ...signed, headers: {} }), 40101);
    assert.equal(await code({ ...signed, headers: { authorization: 'Basic !!' } }), 40101);
    const otherIkey = authorizationHeader('DIYYYYYYYYYYYYYYYYYY', '3bc6e4055e9f76308689e3bcf2fb72c97dfd9f88');
    assert.equal(await code({ ...signed, headers: { authorization: otherIkey } }), 40102);
    // A changed parameter, path or method breaks the signature.
    const changed = toSignedRequest({ ...CAPTURED.wire, form: 'failmode=open&hostname=vm&user=alice' }, '');
    assert.equal(await code({ ...changed, headers: signed.headers }), 40103);
    assert.equal(await code({ ...signed, path: '/rest/v1/auth.bson' }), 40103);
    assert.equal(await code({ ...signed, method: 'PUT' }), 40103);
    // Parameters on a POST's query are covered by no signature.
    assert.equal(await code({ ...signed, queryPairs: [['user', 'bob']] }), 40103);
    // An HMAC-SHA512-length signature is not REST v1.
    const long = authorizationHeader(CAPTURED.ikey, 'ab'.repeat(64));
    assert.equal(await code({ ...signed, headers: { authorization: long } }), 40103);
  });

  it('has no date to check: the same captured request verifies at any time', async () => {
    const signed = toSignedRequest(
      { ...CAPTURED.wire, headers: { Date: 'Tue, 01 Jan 2030 00:00:00 GMT' } },
      CAPTURED.authorization,
    );
    assert.equal((await verifyV1Request(signed, deps)).ok, true);
  });
});
