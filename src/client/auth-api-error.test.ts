// Reading Duo envelopes: the response, typed failures, and answers that are not envelopes at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthApiError, readEnvelope } from './auth-api-error.ts';
import { parseBaseUrl, TransportConfigError } from './transport.ts';

const answer = (status: number, body: string) => ({ status, headers: {}, body: Buffer.from(body) });

test('an OK envelope gives its response, whatever its type', () => {
  assert.deepEqual(readEnvelope(answer(200, '{"stat":"OK","response":{"time":5}}')), { time: 5 });
  assert.equal(readEnvelope(answer(200, '{"stat":"OK","response":"waiting"}')), 'waiting');
});

test('a FAIL envelope throws AuthApiError with status, code, message and detail', () => {
  const body = '{"stat":"FAIL","code":40002,"message":"Invalid request parameters","message_detail":"txid"}';
  assert.throws(() => readEnvelope(answer(400, body)), {
    name: 'AuthApiError',
    httpStatus: 400,
    code: 40002,
    message: 'Invalid request parameters',
    detail: 'txid',
  });
  // Go's client accepts the code as a string (§3); so does this one.
  assert.throws(() => readEnvelope(answer(401, '{"stat":"FAIL","code":"40103","message":"m"}')), {
    code: 40103,
    detail: undefined,
  });
});

test('anything that is not an envelope is AuthApiError code 0 saying so', () => {
  for (const [status, body] of [
    [502, '<html>Bad gateway</html>'],
    [200, '[1,2]'],
    [200, '{"stat":"OK"}'],
    [500, '{"error":"Internal"}'],
  ] as const) {
    try {
      readEnvelope(answer(status, body));
      assert.fail(`accepted ${body}`);
    } catch (error) {
      assert.ok(error instanceof AuthApiError, String(error));
      assert.equal(error.code, 0);
      assert.equal(error.httpStatus, status);
      assert.match(error.message, /not answer with a Duo envelope/);
    }
  }
});

test('a base URL must be http(s) with only a host and port', () => {
  assert.equal(parseBaseUrl('https://mfa.example.org:8443').host, 'mfa.example.org:8443');
  assert.equal(parseBaseUrl('https://mfa.example.org:443').host, 'mfa.example.org');
  for (const bad of [
    'mfa.example.org',
    'ftp://mfa.example.org',
    'https://mfa.example.org/auth',
    'http://u:p@h',
  ]) {
    assert.throws(() => parseBaseUrl(bad), TransportConfigError, bad);
  }
});
