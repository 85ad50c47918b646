// Candidate canonical strings (§2.6 item 4): which versions, hosts and parameter lines are tried.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCandidates, candidateHosts, firstCandidate, hasUnsignedQuery } from './build-candidates.ts';
import type { SignedRequest } from './signed-request.ts';

const request: SignedRequest = {
  method: 'post',
  host: 'API.example.com:8443',
  path: '/auth/v2/auth',
  queryPairs: [],
  body: {
    type: 'form',
    pairs: [
      ['b', '2'],
      ['b', '1'],
    ],
  },
  rawBody: new TextEncoder().encode('b=2&b=1'),
  headers: {},
};
const DATE = 'Tue, 21 Aug 2012 17:29:18 GMT';

describe('candidateHosts', () => {
  it('tries the Host as sent, without its port, then the public host, lowercased and deduplicated', () => {
    assert.deepEqual(candidateHosts('API.example.com:8443', 'Api.Example.com'), [
      'api.example.com:8443',
      'api.example.com',
    ]);
    assert.deepEqual(candidateHosts('10.0.0.1', 'duo.example.org'), ['10.0.0.1', 'duo.example.org']);
  });

  it('strips a port from bracketed IPv6 but leaves a bare IPv6 address alone', () => {
    assert.deepEqual(candidateHosts('[::1]:443', undefined), ['[::1]:443', '[::1]']);
    assert.deepEqual(candidateHosts('::1', undefined), ['::1']);
  });
});

describe('buildCandidates', () => {
  it('tries only v2 for a SHA-1 signature', () => {
    const all = [...buildCandidates(request, DATE, 'sha1', undefined)];
    assert.ok(all.length > 0);
    assert.ok(all.every((c) => c.version === 2 && c.algorithm === 'sha1'));
  });

  it('tries v2 first, then v5, then v4, with sorted values before wire order and no duplicates', () => {
    const all = [...buildCandidates(request, DATE, 'sha512', undefined)];
    const v2 = all.filter((c) => c.version === 2).map((c) => c.canonical);
    assert.deepEqual(v2, [
      `${DATE}\nPOST\napi.example.com:8443\n/auth/v2/auth\nb=1&b=2`,
      `${DATE}\nPOST\napi.example.com:8443\n/auth/v2/auth\nb=2&b=1`,
      `${DATE}\nPOST\napi.example.com\n/auth/v2/auth\nb=1&b=2`,
      `${DATE}\nPOST\napi.example.com\n/auth/v2/auth\nb=2&b=1`,
    ]);
    assert.equal(
      all.findIndex((c) => c.version === 5),
      v2.length,
    );
    assert.equal(new Set(all.map((c) => c.canonical)).size, all.length);
    // v5 POST with a form: the form pairs in the line (never the empty line: see the JSON tests), both hosts.
    const v5Lines = all.filter((c) => c.version === 5).map((c) => c.canonical.split('\n')[4]);
    assert.deepEqual(v5Lines, ['b=1&b=2', 'b=2&b=1', 'b=1&b=2', 'b=2&b=1']);
    // All v2 candidates, then all v5, then all v4 (the same lines as v5).
    assert.match(all.map((c) => c.version).join(''), /^2{4}5{4}4{4}$/);
    assert.ok(all.every((c) => c.params === request.body?.pairs));
  });
});

describe('firstCandidate', () => {
  it('is the candidate buildCandidates yields first, for body and query requests', () => {
    const get: SignedRequest = {
      ...request,
      method: 'GET',
      queryPairs: [
        ['z', 'é'],
        ['a', '1'],
      ],
      body: null,
      rawBody: new Uint8Array(0),
    };
    for (const [req, algorithm] of [
      [request, 'sha512'],
      [request, 'sha1'],
      [get, 'sha512'],
    ] as const) {
      const [first] = buildCandidates(req, DATE, algorithm, 'public.example.org');
      assert.deepEqual(firstCandidate(req, DATE, algorithm, 'public.example.org'), first);
    }
    assert.equal(
      firstCandidate(request, DATE, 'sha1', undefined)?.canonical,
      `${DATE}\nPOST\napi.example.com:8443\n/auth/v2/auth\nb=1&b=2`,
    );
  });
});

describe('what each candidate covers (issue 9.2)', () => {
  const json = (text: string, pairs: Array<[string, string]>, extra: Partial<SignedRequest> = {}) => ({
    ...request,
    body: { type: 'json' as const, pairs },
    rawBody: new TextEncoder().encode(text),
    ...extra,
  });
  const summary = (req: SignedRequest, algorithm: 'sha1' | 'sha512') =>
    [...buildCandidates(req, DATE, algorithm, undefined)].map((c) => ({
      version: c.version,
      line: c.canonical.split('\n')[4],
      params: c.params,
    }));

  it('a JSON body has no v2 candidate: only v5 then v4, with the empty line, covering the JSON pairs', () => {
    const req = json('{"username":"alice"}', [['username', 'alice']]);
    assert.deepEqual(summary(req, 'sha1'), []);
    assert.equal(firstCandidate(req, DATE, 'sha512', undefined), null);
    const covered = { line: '', params: [['username', 'alice']] };
    assert.deepEqual(summary(req, 'sha512'), [
      { version: 5, ...covered },
      { version: 5, ...covered },
      { version: 4, ...covered },
      { version: 4, ...covered },
    ]);
  });

  it('a POST with query parameters has no candidate at all', () => {
    const query: Array<[string, string]> = [['username', 'alice']];
    for (const req of [
      { ...request, queryPairs: query },
      { ...request, queryPairs: query, body: null, rawBody: new Uint8Array(0) },
      json('{}', [], { queryPairs: query }),
    ]) {
      assert.equal(hasUnsignedQuery(req), true);
      assert.deepEqual(summary(req, 'sha512'), []);
      assert.equal(firstCandidate(req, DATE, 'sha512', undefined), null);
    }
  });

  it('GET signs only its query: v2 only without a body, v5 and v4 whatever the body hash covers', () => {
    const query: Array<[string, string]> = [['txid', 'abc']];
    const bare = { ...request, method: 'GET', queryPairs: query, body: null, rawBody: new Uint8Array(0) };
    assert.ok(summary(bare, 'sha512').every((c) => c.params === query && c.line === 'txid=abc'));
    assert.deepEqual(
      summary(bare, 'sha512').map((c) => c.version),
      [2, 2, 5, 5, 4, 4],
    );
    const withBody = json('{"username":"alice"}', [['username', 'alice']], {
      method: 'GET',
      queryPairs: query,
    });
    assert.deepEqual(
      summary(withBody, 'sha512').map((c) => [c.version, c.params]),
      [
        [5, query],
        [5, query],
        [4, query],
        [4, query],
      ],
    );
  });

  it('an empty POST body covers no parameters in v2, v5 and v4', () => {
    const empty = { ...request, body: null, rawBody: new Uint8Array(0) };
    const all = summary(empty, 'sha512');
    assert.deepEqual(
      all.map((c) => c.version),
      [2, 2, 5, 5, 4, 4],
    );
    assert.ok(all.every((c) => c.line === '' && c.params.length === 0));
  });
});
