// Issue 9.2: a signed Auth API call uses exactly the parameters its signature covers, over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { createTransport, type Transport } from '../../src/client/transport.ts';
import type { User } from '../../src/core/model.ts';
import { authorizationHeader, signV2, signV4, signV5 } from '../../src/crypto/duo-signature/index.ts';
import { encodeWire } from '../../src/crypto/duo-signature/verify-test-helpers.ts';
import { setUpDuoApi } from '../../src/fronts/duo-api/duo-api-setup.ts';
import { sendOk } from '../../src/fronts/duo-api/envelope.ts';
import { integrationCache } from '../../src/fronts/duo-api/integration-cache.ts';
import { callVerifier } from '../../src/fronts/duo-api/verify-call.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

let server: TestServer;
let keys: { ikey: string; skey: string };
let transport: Transport;
let alice: User;
let aliceTotp: TestTotp;

before(async () => {
  server = await startTestServer();
  keys = await createTestApp(server.deps);
  alice = await createTestUser(server.deps, 'alice');
  aliceTotp = await addTestTotp(server.deps, alice);
  transport = createTransport(new URL(server.url));
});
after(async () => {
  transport.close();
  await server.close();
});

/** Alice's transactions so far: a refused call must not have created one. */
async function aliceTransactions(): Promise<number> {
  return (await server.deps.store.transactions.listRecentForUser(alice.id, 0, 100)).length;
}

describe('issue 9.2: a v2 signature over no parameters authorises nothing else', () => {
  // What a genuine v2 client sends when it calls with no parameters (like /enroll): an empty form body.
  function emptyV2Signature(path: string, algorithm: 'sha1' | 'sha512') {
    const date = new Date(server.clock.now()).toUTCString();
    const host = new URL(server.url).host;
    const signature = signV2({ date, method: 'POST', host, path, params: [], skey: keys.skey, algorithm });
    return { Date: date, Host: host, Authorization: authorizationHeader(keys.ikey, signature) };
  }

  for (const algorithm of ['sha1', 'sha512'] as const) {
    test(`v2 ${algorithm}: a JSON body naming alice, sent to /preauth and to /auth with her passcode → 40103`, async () => {
      const preauth = await transport.send({
        method: 'POST',
        target: '/auth/v2/preauth',
        headers: { ...emptyV2Signature('/auth/v2/preauth', algorithm), 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify({ username: 'alice' })),
      });
      assertFail(preauth, 401, 40103);

      const passcode = aliceTotp.codeAt(server.clock.now());
      const auth = await transport.send({
        method: 'POST',
        target: '/auth/v2/auth',
        headers: { ...emptyV2Signature('/auth/v2/auth', algorithm), 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify({ username: 'alice', factor: 'passcode', passcode })),
      });
      assertFail(auth, 401, 40103);
      assert.equal(await aliceTransactions(), 0, 'no transaction was created');
    });

    test(`v2 ${algorithm}: the same parameters in the query of a bodiless POST → 40103`, async () => {
      const query = `username=alice&factor=passcode&passcode=${aliceTotp.codeAt(server.clock.now())}`;
      for (const path of ['/auth/v2/preauth', '/auth/v2/auth']) {
        const answer = await transport.send({
          method: 'POST',
          target: `${path}?${query}`,
          headers: emptyV2Signature(path, algorithm),
          body: Buffer.alloc(0),
        });
        assertFail(answer, 401, 40103);
      }
      assert.equal(await aliceTransactions(), 0, 'no transaction was created');
    });
  }
});

type Signer = 'v2 sha1' | 'v2 sha512' | 'v4' | 'v5';
type Method = 'GET' | 'POST' | 'DELETE';
/** Where the client put the parameters: a query, a form body, a JSON body, or nowhere. */
type Placement = 'query' | 'form' | 'json' | 'none';
/** What the server must do: use exactly the parameters, use none of them, or refuse with 40103. */
type Outcome = 'params' | 'no params' | 40103;

/**
 * Wire reference §2.3–§2.5 as a table, for a client that signs what it sends. v2 signs a GET/DELETE query or a
 * POST form body; v5 and v4 (empty parameter line, body hash) a POST JSON body, or a GET/DELETE query while
 * the body hash covers a body that is not read. A POST's query is signed by nothing. Fastify never reads a GET body
 * (GET is bodyless to it): neither the verifier nor a handler sees one, so a signature over it cannot match.
 */
const EXPECTED: Record<Method, Record<Placement, Record<Signer, Outcome>>> = {
  GET: {
    query: { 'v2 sha1': 'params', 'v2 sha512': 'params', v4: 'params', v5: 'params' },
    form: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 40103, v5: 40103 },
    json: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 40103, v5: 40103 },
    none: { 'v2 sha1': 'no params', 'v2 sha512': 'no params', v4: 'no params', v5: 'no params' },
  },
  DELETE: {
    query: { 'v2 sha1': 'params', 'v2 sha512': 'params', v4: 'params', v5: 'params' },
    form: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 'no params', v5: 'no params' },
    json: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 'no params', v5: 'no params' },
    none: { 'v2 sha1': 'no params', 'v2 sha512': 'no params', v4: 'no params', v5: 'no params' },
  },
  POST: {
    query: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 40103, v5: 40103 },
    form: { 'v2 sha1': 'params', 'v2 sha512': 'params', v4: 40103, v5: 40103 },
    json: { 'v2 sha1': 40103, 'v2 sha512': 40103, v4: 'params', v5: 'params' },
    none: { 'v2 sha1': 'no params', 'v2 sha512': 'no params', v4: 'no params', v5: 'no params' },
  },
};

/** The attack on a cell: signed over no parameters and an empty body, the parameters added afterwards. */
function strippedOutcome(method: Method, placement: Placement): Outcome {
  if (placement === 'none') return 'no params';
  // A GET body is never read, so adding one changes nothing anybody uses.
  if (method === 'GET' && placement !== 'query') return 'no params';
  return 40103;
}

const PARAMS: Array<[string, string]> = [
  ['username', 'alice smith'],
  ['factor', 'push'],
];
const ECHO_PATH = '/auth/v2/echo';

/** The request a client puts on the wire for one cell, signed over `signed` (its own parameters if honest). */
function cellRequest(signer: Signer, method: Method, placement: Placement, honest: boolean) {
  const date = new Date(server.clock.now()).toUTCString();
  const host = new URL(echo.url).host;
  const body =
    placement === 'form'
      ? Buffer.from(encodeWire(PARAMS))
      : placement === 'json'
        ? Buffer.from(JSON.stringify(Object.fromEntries(PARAMS)))
        : Buffer.alloc(0);
  const headers: Record<string, string> = { Date: date, Host: host };
  if (placement === 'form') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (placement === 'json') headers['Content-Type'] = 'application/json';
  // Node frames no GET or DELETE body by itself.
  if (body.length > 0) headers['Content-Length'] = String(body.length);
  const head = { date, method, host, path: ECHO_PATH, skey: keys.skey };
  let signature: string;
  if (signer === 'v5' || signer === 'v4') {
    // Duo's clients: the query in the parameter line, the body through its hash (§2.5).
    const params = honest && placement === 'query' ? PARAMS : [];
    const hashed = { ...head, params, body: honest ? body : '' };
    signature = signer === 'v5' ? signV5({ ...hashed, xDuoHeaders: {} }) : signV4(hashed);
  } else {
    // A v2 client signs the pairs it sends, wherever it put them.
    const params = honest && placement !== 'none' ? PARAMS : [];
    signature = signV2({ ...head, params, algorithm: signer === 'v2 sha1' ? 'sha1' : 'sha512' });
  }
  headers.Authorization = authorizationHeader(keys.ikey, signature);
  const target = placement === 'query' ? `${ECHO_PATH}?${encodeWire(PARAMS)}` : ECHO_PATH;
  return { method, target, headers, body };
}

let echo: { url: string; close: () => Promise<void> };

describe('issue 9.2: version × method × placement, readRequest and the verifier over real HTTP', () => {
  before(async () => {
    // A Duo API built from the Auth API's own parts, with one route per method that answers with the
    // parameters a handler would read: the Auth API has no DELETE endpoint, the Admin API will.
    const fastify = Fastify();
    await fastify.register(
      async (api) => {
        setUpDuoApi(api);
        const verified = callVerifier({
          lookup: integrationCache(server.deps, ['auth-api']),
          clock: server.clock,
          skewSeconds: 300,
        });
        api.route({
          method: ['GET', 'POST', 'DELETE'],
          url: '/echo',
          handler: async (request, reply) => sendOk(reply, (await verified(request)).params),
        });
      },
      { prefix: '/auth/v2' },
    );
    const url = await fastify.listen({ host: '127.0.0.1', port: 0 });
    echo = { url, close: () => fastify.close() };
  });
  after(() => echo.close());

  for (const method of ['GET', 'POST', 'DELETE'] as const) {
    for (const placement of ['query', 'form', 'json', 'none'] as const) {
      for (const signer of ['v2 sha1', 'v2 sha512', 'v4', 'v5'] as const) {
        const outcome = EXPECTED[method][placement][signer];
        test(`${signer} ${method} with parameters in ${placement === 'none' ? 'no place' : `the ${placement}`} → ${outcome}`, async () => {
          const echoTransport = createTransport(new URL(echo.url));
          try {
            const honest = await echoTransport.send(cellRequest(signer, method, placement, true));
            if (outcome === 40103) assertFail(honest, 401, 40103);
            else assert.deepEqual(assertOk(honest), outcome === 'params' ? PARAMS : []);
            const stripped = await echoTransport.send(cellRequest(signer, method, placement, false));
            if (strippedOutcome(method, placement) === 40103) assertFail(stripped, 401, 40103);
            else assert.deepEqual(assertOk(stripped), []);
          } finally {
            echoTransport.close();
          }
        });
      }
    }
  }
});
