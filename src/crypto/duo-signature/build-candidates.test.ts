// Candidate canonical strings (§2.6 item 4): which versions, hosts and parameter lines are tried.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCandidates, candidateHosts, firstCandidate } from './build-candidates.ts';
import type { SignedRequest } from './signed-request.ts';

const request: SignedRequest = {
  method: 'post',
  host: 'API.example.com:8443',
  path: '/auth/v2/auth',
  queryPairs: [],
  bodyPairs: [
    ['b', '2'],
    ['b', '1'],
  ],
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

  it('tries v2 first, then v5, with sorted values before wire order and no duplicates', () => {
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
    // v5 POST: the empty parameter line (JSON) and the form pairs, for both hosts.
    const v5Lines = all.filter((c) => c.version === 5).map((c) => c.canonical.split('\n')[4]);
    assert.deepEqual(v5Lines, ['', 'b=1&b=2', 'b=2&b=1', '', 'b=1&b=2', 'b=2&b=1']);
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
      bodyPairs: null,
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
      firstCandidate(request, DATE, 'sha1', undefined).canonical,
      `${DATE}\nPOST\napi.example.com:8443\n/auth/v2/auth\nb=1&b=2`,
    );
  });
});
