// Two nodes on one PostgreSQL database behind one public URL: every request of a sign-in goes to the other node
// than the one before (authorize, sign-in page, prompt, hand-off, token, userinfo, refresh), and it still works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { secureRandom } from '../../src/core/clock.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { freePort } from '../prompt/harness.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { createAgent, type OidcWorld, passcode, relyingParty, signIn, startOidcWorld } from './harness.ts';

const pgServer = testPgUrl();

if (pgServer === undefined) {
  it('OIDC on two nodes of one PostgreSQL database', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  describe('OIDC on two nodes of one PostgreSQL database', () => {
    let database: TestDatabase;
    let a: OidcWorld;
    let b: OidcWorld;
    before(async () => {
      database = await createTestDatabase(pgServer);
      const ring = newKeyRing(secureRandom);
      const publicPort = await freePort();
      const shared = {
        databaseUrl: database.url,
        ring,
        config: { public_url: `http://localhost:${publicPort}` },
      };
      a = await startOidcWorld({ ...shared, config: { ...shared.config, 'http.port': publicPort } });
      b = await startOidcWorld(shared);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await database?.drop();
    });

    it('a sign-in started on one node continues on the other, step after step', async () => {
      assert.equal(a.issuer, b.issuer, 'one issuer for the cluster');
      const ports = [
        new URL(a.http.fastify.listeningOrigin).port,
        new URL(b.http.fastify.listeningOrigin).port,
      ];
      const served: string[] = [];
      let turn = 0;
      const alternate = (url: URL) => {
        if (url.origin !== new URL(a.url).origin) return url;
        const routed = new URL(url);
        routed.port = ports[turn++ % 2]!;
        served.push(routed.port);
        return routed;
      };
      const rp = await relyingParty(a, { settings: { refreshTokens: true } });
      rp.config[client.customFetch] = (url, options) =>
        fetch(alternate(new URL(url)), options as RequestInit);
      const user = await createTestUser(b.deps, 'nora', {
        password: 'correct horse battery',
        groups: ['ops'],
      });
      const totp = await addTestTotp(a.deps, user);
      const agent = createAgent(a.url, alternate);
      const authorization = await rp.begin({ scope: 'openid groups offline_access', prompt: 'consent' });
      const callback = await signIn(agent, authorization, {
        username: 'nora',
        password: 'correct horse battery',
        factor: passcode(() => totp.codeAt(Date.now())),
      });
      const tokens = await rp.finish(callback.url, authorization);
      assert.deepEqual(tokens.claims()?.amr, ['mfa', 'otp', 'pwd']);
      const info = await client.fetchUserInfo(rp.config, tokens.access_token, user.id);
      assert.deepEqual(info.groups, ['ops']);
      const refreshed = await client.refreshTokenGrant(rp.config, String(tokens.refresh_token));
      assert.ok(refreshed.access_token);
      assert.ok(served.filter((port) => port === ports[0]).length >= 5, 'node A served its share');
      assert.ok(served.filter((port) => port === ports[1]).length >= 5, 'node B served its share');
    });
  });
}
