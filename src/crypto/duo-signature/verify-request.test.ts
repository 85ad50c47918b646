// verifyDuoRequest: the §2.6 order, each 401 code, and every client variation of §1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizationHeader, hmacHex, signV2, signV4, signV5 } from './sign.ts';
import { DOC, DOC_AUTH_PARAMS, DOC_V5_BODY } from './test-vectors.ts';
import { verifyDuoRequest } from './verify-request.ts';
import { encodeWire, oneSecret, toSignedRequest, type WireRequest } from './verify-test-helpers.ts';

const deps = { lookupSecret: oneSecret(DOC.ikey, DOC.skey), nowMs: DOC.dateMs };
const dated = (extra: Record<string, string> = {}) => ({ Date: DOC.date, ...extra });

/** The §2.7 v2 POST /auth/v2/auth request, signed with SHA-512 unless told otherwise. */
function v2Auth(algorithm: 'sha1' | 'sha512' = 'sha512', wire: Partial<WireRequest> = {}) {
  const sig = signV2({ ...DOC, method: 'POST', path: '/auth/v2/auth', params: DOC_AUTH_PARAMS, algorithm });
  const request: WireRequest = {
    method: 'POST',
    host: DOC.host,
    path: '/auth/v2/auth',
    form: encodeWire(DOC_AUTH_PARAMS),
    headers: dated(),
    ...wire,
  };
  return toSignedRequest(request, authorizationHeader(DOC.ikey, sig));
}

/** The §2.7 v5 POST /auth/v2/auth JSON request. */
function v5Auth(body = DOC_V5_BODY, xDuoHeaders: Record<string, string> = {}) {
  const sig = signV5({
    ...DOC,
    method: 'POST',
    path: '/auth/v2/auth',
    params: [],
    body: DOC_V5_BODY,
    xDuoHeaders,
  });
  const wire = {
    method: 'POST',
    host: DOC.host,
    path: '/auth/v2/auth',
    json: body,
    headers: dated(xDuoHeaders),
  };
  return toSignedRequest(wire, authorizationHeader(DOC.ikey, sig));
}

describe('verifyDuoRequest failures', () => {
  it('40101 when Authorization is absent or malformed', async () => {
    const req = v2Auth();
    for (const authorization of [undefined, 'Bearer x', 'Basic !!', 'Basic aWs6MTIz']) {
      const result = await verifyDuoRequest({ ...req, headers: { ...req.headers, authorization } }, deps);
      assert.deepEqual(result, {
        ok: false,
        httpStatus: 401,
        code: 40101,
        message: 'Missing request credentials',
      });
    }
  });

  it('40102 for an unknown ikey, before the date is looked at', async () => {
    const req = v2Auth();
    const result = await verifyDuoRequest(
      { ...req, headers: { authorization: req.headers.authorization } },
      { ...deps, lookupSecret: oneSecret('DIOTHER', DOC.skey) },
    );
    assert.deepEqual(result, {
      ok: false,
      httpStatus: 401,
      code: 40102,
      message: 'Invalid integration key in request credentials',
    });
  });

  it('40104 when neither Date nor X-Duo-Date is present (or both are blank)', async () => {
    const req = v2Auth();
    for (const headers of [{}, { date: '' }, { date: ' ', 'x-duo-date': '' }]) {
      const result = await verifyDuoRequest(
        { ...req, headers: { authorization: req.headers.authorization, ...headers } },
        deps,
      );
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.code, 40104);
      assert.equal(!result.ok && result.message, 'Missing request timestamp');
    }
  });

  it('40105 when the date cannot be parsed', async () => {
    const req = v2Auth();
    const result = await verifyDuoRequest({ ...req, headers: { ...req.headers, date: '1345570158' } }, deps);
    assert.equal(!result.ok && result.code, 40105);
    assert.equal(!result.ok && result.message, 'Bad request timestamp');
  });

  it('40105 outside ±300 s and accepted inside it', async () => {
    const req = v2Auth();
    for (const offset of [-301_000, 301_000]) {
      const result = await verifyDuoRequest(req, { ...deps, nowMs: DOC.dateMs + offset });
      assert.equal(!result.ok && result.code, 40105, `offset ${offset}`);
    }
    for (const offset of [-299_000, 299_000, 300_000]) {
      const result = await verifyDuoRequest(req, { ...deps, nowMs: DOC.dateMs + offset });
      assert.equal(result.ok, true, `offset ${offset}`);
    }
    const narrow = await verifyDuoRequest(req, { ...deps, nowMs: DOC.dateMs + 11_000, skewMs: 10_000 });
    assert.equal(!narrow.ok && narrow.code, 40105);
  });

  it('40103 for a wrong key, a changed parameter, method or path', async () => {
    const req = v2Auth();
    const wrongKey = await verifyDuoRequest(req, {
      ...deps,
      lookupSecret: oneSecret(DOC.ikey, 'x'.repeat(40)),
    });
    assert.deepEqual(wrongKey, {
      ok: false,
      httpStatus: 401,
      code: 40103,
      message: 'Invalid signature in request credentials',
    });
    const tampered = [
      {
        ...req,
        body: {
          type: 'form' as const,
          pairs: [...(req.body?.pairs ?? []), ['extra', '1'] as [string, string]],
        },
      },
      { ...req, method: 'PUT' },
      { ...req, path: '/auth/v2/Auth' },
    ];
    for (const changed of tampered) assert.equal((await verifyDuoRequest(changed, deps)).ok, false);
  });
});

describe('verifyDuoRequest v2', () => {
  it('accepts the document vector signed with SHA-512 and with SHA-1', async () => {
    assert.deepEqual(await verifyDuoRequest(v2Auth('sha512'), deps), {
      ok: true,
      ikey: DOC.ikey,
      version: 2,
      algorithm: 'sha512',
      params: DOC_AUTH_PARAMS,
    });
    assert.deepEqual(await verifyDuoRequest(v2Auth('sha1'), deps), {
      ok: true,
      ikey: DOC.ikey,
      version: 2,
      algorithm: 'sha1',
      params: DOC_AUTH_PARAMS,
    });
  });

  it('accepts an uppercase hex signature', async () => {
    const sig = signV2({
      ...DOC,
      method: 'POST',
      path: '/auth/v2/auth',
      params: DOC_AUTH_PARAMS,
      algorithm: 'sha1',
    });
    const req = v2Auth();
    const headers = { ...req.headers, authorization: authorizationHeader(DOC.ikey, sig.toUpperCase()) };
    assert.equal((await verifyDuoRequest({ ...req, headers }, deps)).ok, true);
  });

  it('accepts a Host header with a port when the bare host was signed (Python, duo_unix)', async () => {
    const req = v2Auth('sha512', { host: `${DOC.host}:8443` });
    assert.equal((await verifyDuoRequest(req, deps)).ok, true);
  });

  it('accepts a signed host that includes the port (Go)', async () => {
    const host = '127.0.0.1:8443';
    const params: Array<[string, string]> = [['username', 'alice']];
    const sig = signV2({
      ...DOC,
      host,
      method: 'POST',
      path: '/auth/v2/preauth',
      params,
      algorithm: 'sha512',
    });
    const wire = { method: 'POST', host, path: '/auth/v2/preauth', form: 'username=alice', headers: dated() };
    const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
    assert.equal(result.ok, true);
  });

  it('accepts the configured public host only when it is configured', async () => {
    const req = v2Auth('sha512', { host: '10.0.0.5:8443' });
    assert.equal((await verifyDuoRequest(req, deps)).ok, false);
    assert.equal((await verifyDuoRequest(req, { ...deps, publicHost: DOC.host })).ok, true);
  });

  it('takes GET parameters from the query and accepts an empty query (Python /check?)', async () => {
    const params: Array<[string, string]> = [['txid', 'abc def']];
    const get = signV2({ ...DOC, method: 'GET', path: '/auth/v2/auth_status', params, algorithm: 'sha512' });
    const req = toSignedRequest(
      {
        method: 'GET',
        host: DOC.host,
        path: '/auth/v2/auth_status',
        query: 'txid=abc+def',
        headers: dated(),
      },
      authorizationHeader(DOC.ikey, get),
    );
    assert.equal((await verifyDuoRequest(req, deps)).ok, true);
    const check = signV2({ ...DOC, method: 'GET', path: '/auth/v2/check', params: [], algorithm: 'sha512' });
    const empty = toSignedRequest(
      { method: 'GET', host: DOC.host, path: '/auth/v2/check', query: '', headers: dated() },
      authorizationHeader(DOC.ikey, check),
    );
    assert.equal((await verifyDuoRequest(empty, deps)).ok, true);
  });

  it('accepts multi-valued parameters signed sorted (Python) or in wire order (Node)', async () => {
    const pairs: Array<[string, string]> = [
      ['a', '1'],
      ['b', 'z'],
      ['b', 'a b'],
    ];
    for (const valueOrder of ['sorted', 'wire'] as const) {
      const sig = signV2({
        ...DOC,
        method: 'POST',
        path: '/p',
        params: pairs,
        algorithm: 'sha512',
        valueOrder,
      });
      const wire = { method: 'POST', host: DOC.host, path: '/p', form: encodeWire(pairs), headers: dated() };
      const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
      assert.equal(result.ok, true, valueOrder);
    }
  });

  it("accepts C#'s whole key=value sort", async () => {
    const canonical = `${DOC.date}\nPOST\n${DOC.host.toLowerCase()}\n/p\na-b=2&a=1`;
    const sig = hmacHex('sha512', DOC.skey, canonical);
    const wire = {
      method: 'POST',
      host: DOC.host,
      path: '/p',
      form: 'a=1&a-b=2',
      headers: { 'X-Duo-Date': DOC.date },
    };
    const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
    assert.equal(result.ok, true);
  });

  it('prefers X-Duo-Date over Date', async () => {
    const req = v2Auth();
    const stale = 'Mon, 20 Aug 2012 17:29:18 GMT';
    const withBoth = { ...req, headers: { ...req.headers, date: stale, 'x-duo-date': DOC.date } };
    assert.equal((await verifyDuoRequest(withBoth, deps)).ok, true);
    const reversed = { ...req, headers: { ...req.headers, date: DOC.date, 'x-duo-date': stale } };
    const result = await verifyDuoRequest(reversed, deps);
    assert.equal(!result.ok && result.code, 40105);
  });
});

describe('verifyDuoRequest v5', () => {
  it('accepts the document v5 JSON vector', async () => {
    assert.deepEqual(await verifyDuoRequest(v5Auth(), deps), {
      ok: true,
      ikey: DOC.ikey,
      version: 5,
      algorithm: 'sha512',
      params: [
        ['factor', 'push'],
        ['username', 'alice@example.com'],
      ],
    });
  });

  it('rejects the body with one byte changed (40103)', async () => {
    const req = v5Auth();
    const rawBody = Uint8Array.from(req.rawBody);
    rawBody[10] = (rawBody[10] ?? 0) ^ 0x01;
    const result = await verifyDuoRequest({ ...req, rawBody }, deps);
    assert.equal(!result.ok && result.code, 40103);
  });

  it('covers X-Duo headers: signed ones accepted, a changed or dropped one rejected', async () => {
    const req = v5Auth(DOC_V5_BODY, { 'X-Duo-Test': 'yes' });
    assert.equal((await verifyDuoRequest(req, deps)).ok, true);
    const changed = { ...req, headers: { ...req.headers, 'x-duo-test': 'no' } };
    assert.equal((await verifyDuoRequest(changed, deps)).ok, false);
    const dropped = { ...req, headers: { ...req.headers, 'x-duo-test': undefined } };
    assert.equal((await verifyDuoRequest(dropped, deps)).ok, false);
  });

  it('accepts X-Duo-Date whether or not the client put it in the header block', async () => {
    const blocks: Array<Record<string, string>> = [{}, { 'X-Duo-Date': DOC.date }];
    for (const xDuoHeaders of blocks) {
      const sig = signV5({ ...DOC, method: 'POST', path: '/p', params: [], body: '{}', xDuoHeaders });
      const wire = {
        method: 'POST',
        host: DOC.host,
        path: '/p',
        json: '{}',
        headers: { 'X-Duo-Date': DOC.date },
      };
      const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
      assert.equal(result.ok, true, JSON.stringify(xDuoHeaders));
    }
  });

  it('accepts a v5 GET with query parameters and an empty body', async () => {
    const params: Array<[string, string]> = [['txid', '45f7c92b-f45f-4862-8545-e0f58e78075a']];
    const sig = signV5({
      ...DOC,
      method: 'GET',
      path: '/auth/v2/auth_status',
      params,
      body: '',
      xDuoHeaders: {},
    });
    const wire = { method: 'GET', host: DOC.host, path: '/auth/v2/auth_status', query: encodeWire(params) };
    const result = await verifyDuoRequest(
      toSignedRequest({ ...wire, headers: dated() }, authorizationHeader(DOC.ikey, sig)),
      deps,
    );
    assert.deepEqual(result, { ok: true, ikey: DOC.ikey, version: 5, algorithm: 'sha512', params });
  });

  it('accepts a v5 client that sent a form body and signed its pairs', async () => {
    const form = 'username=alice&factor=push';
    const params = [
      ['username', 'alice'],
      ['factor', 'push'],
    ] as Array<[string, string]>;
    const sig = signV5({ ...DOC, method: 'POST', path: '/p', params, body: form, xDuoHeaders: {} });
    const wire = { method: 'POST', host: DOC.host, path: '/p', form, headers: dated() };
    const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
    assert.equal(result.ok && result.version, 5);
  });
});

describe('issue 9.2: the accepted signature decides the parameters', () => {
  const EMPTY_V2 = signV2({ ...DOC, method: 'POST', path: '/p', params: [], algorithm: 'sha512' });

  /** A POST to /p with the given wire parts and signature. */
  async function verifyPost(wire: Partial<WireRequest>, signature: string) {
    const request = { method: 'POST', host: DOC.host, path: '/p', headers: dated(), ...wire };
    return verifyDuoRequest(toSignedRequest(request, authorizationHeader(DOC.ikey, signature)), deps);
  }

  it('a v2 signature over no parameters accepts an empty body with no parameters, and no JSON body', async () => {
    assert.deepEqual(await verifyPost({}, EMPTY_V2), {
      ok: true,
      ikey: DOC.ikey,
      version: 2,
      algorithm: 'sha512',
      params: [],
    });
    const json = await verifyPost({ json: '{"username":"alice"}' }, EMPTY_V2);
    assert.equal(!json.ok && json.code, 40103);
  });

  it('a POST with query parameters is refused, even when the signature covers the body', async () => {
    const result = await verifyPost({ query: 'username=alice' }, EMPTY_V2);
    assert.deepEqual(result, {
      ok: false,
      httpStatus: 401,
      code: 40103,
      message: 'Invalid signature in request credentials',
      detail: 'no signature covers the query string of a POST, PUT or PATCH',
    });
    // An empty query (`/p?`, as Python sends for GET) carries no parameters and is fine.
    assert.equal((await verifyPost({ query: '' }, EMPTY_V2)).ok, true);
  });

  it('a v5 JSON body relabelled as a form cannot smuggle pairs out of a string value', async () => {
    const body = '{"pushinfo":"a=1&username=alice&b=","username":"bob"}';
    const sig = signV5({ ...DOC, method: 'POST', path: '/p', params: [], body, xDuoHeaders: {} });
    const asJson = await verifyPost({ json: body }, sig);
    assert.deepEqual(asJson.ok && asJson.params, [
      ['pushinfo', 'a=1&username=alice&b='],
      ['username', 'bob'],
    ]);
    const asForm = await verifyPost({ form: body }, sig);
    assert.equal(!asForm.ok && asForm.code, 40103);
  });

  it('GET reads only its query: v2 refuses an unsigned body, v5 covers it by hash but does not read it', async () => {
    const query: Array<[string, string]> = [['txid', 'abc']];
    const json = '{"username":"alice"}';
    const v2 = signV2({ ...DOC, method: 'GET', path: '/p', params: query, algorithm: 'sha512' });
    const wire = { method: 'GET', host: DOC.host, path: '/p', query: 'txid=abc', json, headers: dated() };
    const v2Result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, v2)), deps);
    assert.equal(!v2Result.ok && v2Result.code, 40103);
    const v5 = signV5({ ...DOC, method: 'GET', path: '/p', params: query, body: json, xDuoHeaders: {} });
    const v5Result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, v5)), deps);
    assert.deepEqual(v5Result.ok && v5Result.params, query);
  });
});

describe('verifyDuoRequest v4 (duo_client_python sig_version=4)', () => {
  const json = '{"factor":"push","username":"alice@example.com"}';

  it('accepts a POST JSON body (empty parameter line) and covers its pairs', async () => {
    const sig = signV4({ ...DOC, method: 'POST', path: '/auth/v2/auth', params: [], body: json });
    const wire = { method: 'POST', host: DOC.host, path: '/auth/v2/auth', json, headers: dated() };
    assert.deepEqual(
      await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps),
      {
        ok: true,
        ikey: DOC.ikey,
        version: 4,
        algorithm: 'sha512',
        params: [
          ['factor', 'push'],
          ['username', 'alice@example.com'],
        ],
      },
    );
  });

  it('accepts a GET with its query signed and the hash of the empty body, at a non-UTC offset', async () => {
    // Python's sig_timezone: `%a, %d %b %Y %H:%M:%S %z` in another zone.
    const date = 'Tue, 21 Aug 2012 13:29:18 -0400';
    const params: Array<[string, string]> = [['txid', 'abc def']];
    const sig = signV4({ ...DOC, date, method: 'GET', path: '/auth/v2/auth_status', params, body: '' });
    const wire = {
      method: 'GET',
      host: DOC.host,
      path: '/auth/v2/auth_status',
      query: 'txid=abc+def',
      headers: { Date: date },
    };
    const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
    assert.deepEqual(result.ok && [result.version, result.params], [4, params]);
  });

  it('refuses a changed body, a relabelled form and a POST query like v5', async () => {
    const sig = signV4({ ...DOC, method: 'POST', path: '/p', params: [], body: json });
    const post = (wire: Partial<WireRequest>) =>
      verifyDuoRequest(
        toSignedRequest(
          { method: 'POST', host: DOC.host, path: '/p', headers: dated(), ...wire },
          authorizationHeader(DOC.ikey, sig),
        ),
        deps,
      );
    for (const wire of [
      { json: json.replace('alice', 'alicf') },
      { form: json },
      { json, query: 'username=bob' },
    ]) {
      const result = await post(wire);
      assert.equal(!result.ok && result.code, 40103, JSON.stringify(wire));
    }
    assert.equal((await post({ json })).ok, true);
  });
});

describe('signature v1 is refused', () => {
  it('40103 for duo_client_python sig_version=1, which signs no date (a captured request would replay forever)', async () => {
    // duo_client/client.py canonicalize(), sig_version == 1: [method.upper(), host.lower(), uri, canon_params].
    const canonical = `POST\n${DOC.host.toLowerCase()}\n/auth/v2/auth\nfactor=push&username=alice`;
    const wire = {
      method: 'POST',
      host: DOC.host,
      path: '/auth/v2/auth',
      form: 'username=alice&factor=push',
      headers: dated(),
    };
    for (const algorithm of ['sha1', 'sha512'] as const) {
      const sig = hmacHex(algorithm, DOC.skey, canonical);
      const result = await verifyDuoRequest(toSignedRequest(wire, authorizationHeader(DOC.ikey, sig)), deps);
      assert.equal(!result.ok && result.code, 40103, algorithm);
    }
  });
});
