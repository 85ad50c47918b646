// Issue 9.2: a signed Auth API call uses exactly the parameters its signature covers, over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTransport, type Transport } from '../../src/client/transport.ts';
import type { User } from '../../src/core/model.ts';
import { authorizationHeader, signV2 } from '../../src/crypto/duo-signature/index.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { assertFail } from './envelope-assertions.ts';

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
