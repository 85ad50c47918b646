// Property tests: verifyDuoRequest never throws on hostile input, and sign → verify round-trips.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { authorizationHeader, signV2, signV4, signV5 } from './sign.ts';
import type { SignedRequest } from './signed-request.ts';
import { verifyDuoRequest } from './verify-request.ts';
import { encodeWire, oneSecret, toSignedRequest } from './verify-test-helpers.ts';

const IKEY = 'DIABCDEFGHIJKLMNOPQR';
const SKEY = 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy';
const NOW = Date.UTC(2026, 10, 3, 12, 0, 0);
const DATE = new Date(NOW).toUTCString();
const deps = { lookupSecret: oneSecret(IKEY, SKEY), nowMs: NOW };

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const pairs = fc.array(fc.tuple(text, text), { maxLength: 6 });
const host = fc.constantFrom(
  'api-xxxxxxxx.duosecurity.com',
  'localhost:8443',
  'Duo.Example.ORG',
  '[::1]:443',
);
const path = fc.constantFrom('/auth/v2/auth', '/auth/v2/preauth', '/admin/v1/users/DU%2F1', '/');

describe('verifyDuoRequest on arbitrary input', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 60 });
  const hex = fc.constantFrom(40, 128).chain((n) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`)));
  const authorization = fc.oneof(
    anyText,
    hex.map((sig) => authorizationHeader(IKEY, sig)),
    fc.tuple(anyText, hex).map(([ikey, sig]) => authorizationHeader(ikey, sig)),
  );
  const date = fc.oneof(
    anyText,
    fc.integer({ min: -400, max: 400 }).map((s) => new Date(NOW + s * 1000).toUTCString()),
  );
  const headers = fc.record(
    {
      authorization: fc.option(authorization, { nil: undefined }),
      date: fc.option(date, { nil: undefined }),
      'x-duo-date': fc.option(date, { nil: undefined }),
      'x-duo-extra': fc.option(anyText, { nil: undefined }),
    },
    { requiredKeys: [] },
  );
  const request = fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'delete', 'PATCH'), anyText),
    host: anyText,
    path: anyText,
    queryPairs: fc.array(fc.tuple(anyText, anyText), { maxLength: 4 }),
    body: fc.option(
      fc.record({
        type: fc.constantFrom('form' as const, 'json' as const),
        pairs: fc.array(fc.tuple(anyText, anyText), { maxLength: 4 }),
      }),
      { nil: null },
    ),
    rawBody: fc.uint8Array({ maxLength: 64 }),
    headers,
  }) satisfies fc.Arbitrary<SignedRequest>;

  it('never throws and always returns a 401 failure', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const result = await verifyDuoRequest(req, deps);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.httpStatus, 401);
        assert.ok(!result.ok && [40101, 40102, 40103, 40104, 40105].includes(result.code));
      }),
      { numRuns: 500 },
    );
  });
});

describe('sign → verify round trip', () => {
  it('v2 with arbitrary Unicode parameters, either hash, either value order, form or query', async () => {
    const input = fc.record({
      pairs,
      host,
      path,
      method: fc.constantFrom('GET', 'DELETE', 'POST', 'PUT', 'PATCH'),
      algorithm: fc.constantFrom('sha1' as const, 'sha512' as const),
      valueOrder: fc.constantFrom('sorted' as const, 'wire' as const),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ pairs, host, path, method, algorithm, valueOrder }) => {
        const sig = signV2({
          date: DATE,
          method,
          host,
          path,
          params: pairs,
          skey: SKEY,
          algorithm,
          valueOrder,
        });
        const wire = encodeWire(pairs);
        const inQuery = method === 'GET' || method === 'DELETE';
        const req = toSignedRequest(
          { method, host, path, headers: { Date: DATE }, ...(inQuery ? { query: wire } : { form: wire }) },
          authorizationHeader(IKEY, sig),
        );
        assert.deepEqual(await verifyDuoRequest(req, deps), {
          ok: true,
          ikey: IKEY,
          version: 2,
          algorithm,
          params: pairs,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('v5 and v4 with arbitrary Unicode query parameters or JSON bodies (v5: and X-Duo headers)', async () => {
    const xDuo = fc.dictionary(
      fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => `X-Duo-${s}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 10 }).filter((v) => !v.includes('\0') && v.trim() === v),
      { maxKeys: 3 },
    );
    const input = fc.record({
      pairs,
      host,
      path,
      method: fc.constantFrom('GET', 'DELETE', 'POST', 'PUT'),
      version: fc.constantFrom(4 as const, 5 as const),
      xDuo,
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ pairs, host, path, method, version, xDuo }) => {
        const inQuery = method === 'GET' || method === 'DELETE';
        const json = inQuery ? undefined : JSON.stringify(Object.fromEntries(pairs));
        const params = inQuery ? pairs : [];
        const body = json ?? '';
        const signed = { date: DATE, method, host, path, params, body, skey: SKEY };
        // duo_client_python sends X-Duo headers only with v5.
        const sig = version === 5 ? signV5({ ...signed, xDuoHeaders: xDuo }) : signV4(signed);
        const headers = { Date: DATE, ...(version === 5 ? xDuo : {}) };
        const wire = inQuery ? { query: encodeWire(pairs) } : { json: body };
        const req = toSignedRequest({ method, host, path, headers, ...wire }, authorizationHeader(IKEY, sig));
        assert.deepEqual(await verifyDuoRequest(req, deps), {
          ok: true,
          ikey: IKEY,
          version,
          algorithm: 'sha512',
          params: inQuery ? pairs : Object.entries(Object.fromEntries(pairs)),
        });
      }),
      { numRuns: 300 },
    );
  });
});
