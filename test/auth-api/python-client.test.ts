// duo_client_python's signature v4 requests, rebuilt byte for byte from its source, against a real server.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTransport, type Transport } from '../../src/client/transport.ts';
import { canonicalParams } from '../../src/crypto/duo-signature/index.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertFail, assertOk, withTrustedDevice } from './envelope-assertions.ts';

let server: TestServer;
let keys: { ikey: string; skey: string };
let transport: Transport;
let totp: TestTotp;
const USERNAME = 'zoë';

before(async () => {
  server = await startTestServer();
  keys = await createTestApp(server.deps);
  totp = await addTestTotp(server.deps, await createTestUser(server.deps, USERNAME));
  transport = createTransport(new URL(server.url));
});
after(async () => {
  transport.close();
  await server.close();
});

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Python `email.utils.formatdate()` (UTC): `Tue, 21 Aug 2012 17:29:18 -0000`. */
function formatdate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} -0000`;
}

/** `Client.canon_json`: `json.dumps(params, sort_keys=True, separators=(',', ':'))`, ASCII-only output. */
function canonJson(params: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // ensure_ascii (the default) writes every non-ASCII UTF-16 unit as \uXXXX.
  return JSON.stringify(sorted).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Python `urllib.parse.urlencode(params, doseq=True)`: quote_plus, so a space is `+`. */
function urlencode(params: Record<string, string>): string {
  const plus = (s: string) =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(params)
    .map(([k, v]) => `${plus(k)}=${plus(v)}`)
    .join('&');
}

/**
 * duo_client/client.py `Client.api_call` with `sig_version=4` (5.6.1): a POST's parameters become the body
 * `canon_json(params)` and the signed parameters `{}`; a GET's stay in the query and its body is `''`. Then
 * `canonicalize()` for version 4 — `[date, method.upper(), host.lower(), uri, canon_params(params),
 * sha512(body).hexdigest()]` joined by `\n` — signed with HMAC-SHA512 (api_call forces sha512 for 4 and 5).
 * `host` is the bare hostname (the port is a separate argument); http.client's Host header adds `:port`.
 */
function pythonV4(method: 'GET' | 'POST', path: string, params: Record<string, string>) {
  const inBody = method === 'POST';
  const body = inBody ? canonJson(params) : '';
  const signedParams = inBody ? [] : Object.entries(params);
  const date = formatdate(server.clock.now());
  const { hostname, host } = new URL(server.url);
  const canonical = [
    date,
    method,
    hostname.toLowerCase(),
    path,
    canonicalParams(signedParams, 'sorted'),
    createHash('sha512').update(body, 'utf8').digest('hex'),
  ].join('\n');
  const signature = createHmac('sha512', keys.skey).update(canonical, 'utf8').digest('hex');
  const headers: Record<string, string> = {
    Host: host,
    Authorization: `Basic ${Buffer.from(`${keys.ikey}:${signature}`).toString('base64')}`,
    Date: date,
    'User-Agent': 'Duo API Python/5.6.1',
  };
  if (inBody) {
    headers['Content-type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return {
    method,
    target: inBody ? path : `${path}?${urlencode(params)}`,
    headers,
    body: Buffer.from(body, 'utf8'),
  };
}

test('v4: check, preauth, async passcode auth and auth_status, as duo_client_python sends them', async () => {
  assert.deepEqual(assertOk(await transport.send(pythonV4('GET', '/auth/v2/check', {}))), {
    time: Math.floor(server.clock.now() / 1000),
  });
  const preauth = assertOk(
    await transport.send(pythonV4('POST', '/auth/v2/preauth', { username: USERNAME })),
  );
  assert.equal((preauth as { result: string }).result, 'auth');
  const started = assertOk(
    await transport.send(
      pythonV4('POST', '/auth/v2/auth', {
        factor: 'passcode',
        async: '1',
        username: USERNAME,
        passcode: totp.codeAt(server.clock.now()),
      }),
    ),
  ) as { txid: string };
  const status = assertOk(
    await transport.send(pythonV4('GET', '/auth/v2/auth_status', { txid: started.txid })),
  );
  assert.deepEqual(withTrustedDevice(status), {
    result: 'allow',
    status: 'allow',
    status_msg: 'Success. Logging you in...',
  });
});

test('v4: a body changed after signing, or parameters added to a POST query, are refused (40103)', async () => {
  const request = pythonV4('POST', '/auth/v2/preauth', { username: USERNAME });
  const changed = Buffer.from(request.body.toString('utf8').replace('zo', 'zz'));
  assertFail(await transport.send({ ...request, body: changed }), 401, 40103);
  assertFail(await transport.send({ ...request, target: '/auth/v2/preauth?username=other' }), 401, 40103);
});
