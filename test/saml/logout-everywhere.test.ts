// Signing out of the SSO session ends it everywhere it was used, whichever protocol the sign-out came through: a SAML
// SP's LogoutRequest ends the OpenID provider session and tells OpenID clients over the back channel; an OpenID
// client's RP-initiated logout takes the browser round the SAML SPs with LogoutRequests (node-saml checks each) before
// the post-logout redirect. On SQLite, and on PostgreSQL when COUNTERSIGN_TEST_PG is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import * as client from 'openid-client';
import { createServiceProvider } from '../../src/core/saml/service-providers.ts';
import { signUserOut } from '../../src/core/sso/sign-user-out.ts';
import { loadSsoSession } from '../../src/core/sso/sso-session.ts';
import { startWebSession } from '../../src/core/web/sessions.ts';
import { oidcSignOutListener } from '../../src/fronts/oidc/backchannel-logout.ts';
import { SESSION_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { defineSp } from '../../src/saml/sp-record.ts';
import { authApiCaller } from '../browser/support/auth-api.ts';
import type { Agent, Landing } from '../oidc/agent.ts';
import {
  type BackchannelInbox,
  backchannelInbox,
  createAgent,
  drivePrompt,
  type OidcWorld,
  passcode,
  relyingParty,
  signIn,
  startOidcWorld,
} from '../oidc/harness.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { addTestTotp, createTestAdminApp, createTestUser, issueTestBypassCodes } from '../support/server.ts';
import { rsaPair } from './fixture.ts';
import { postedFields } from './front-tools.ts';

const PASSWORD = 'correct horse battery';
const pgServer = testPgUrl();

/** Reads a JWT's claims without checking it (openid-client checked the ID tokens; logout tokens are read here). */
function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

for (const label of ['SQLite', 'PostgreSQL'] as const) {
  const skip = label === 'PostgreSQL' && pgServer === undefined && PG_SKIP_MESSAGE;
  describe(`signing out everywhere on ${label}`, { skip, concurrency: false }, () => {
    let world: OidcWorld;
    let database: TestDatabase | undefined;
    let inbox: BackchannelInbox;
    let idpCert: string;
    let count = 0;

    before(async () => {
      database = label === 'PostgreSQL' ? await createTestDatabase(pgServer!) : undefined;
      world = await startOidcWorld(database ? { databaseUrl: database.url } : {});
      inbox = await backchannelInbox();
      const xml = await (await fetch(`${world.url}/saml/metadata`)).text();
      const body = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(xml)?.[1];
      idpCert = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    });
    after(async () => {
      await inbox?.close();
      await world?.close();
      await database?.drop();
    });

    /** A node-saml SP connected like `countersign app add --type saml`, with a Redirect SLO endpoint. */
    const connectSp = async () => {
      const n = ++count;
      const entityId = `https://sp${n}.logout.test/metadata`;
      const acs = `http://127.0.0.1:9/sp${n}/acs`;
      const slo = `http://127.0.0.1:9/sp${n}/slo`;
      const pair = await rsaPair(`sp${n}.logout.test`);
      await createServiceProvider(world.deps, 'test', {
        name: `Service provider ${n}`,
        sp: defineSp({
          entityId,
          acs: [acs],
          slo: [{ binding: 'redirect', url: slo, responseUrl: slo }],
          certificates: [pair.certificatePem],
          nameId: { format: 'emailAddress' },
          wantAuthnRequestsSigned: true,
        }),
      });
      const saml = new SAML({
        entryPoint: `${world.url}/saml/sso`,
        logoutUrl: `${world.url}/saml/slo`,
        issuer: entityId,
        callbackUrl: acs,
        audience: entityId,
        idpCert,
        idpIssuer: `${world.url}/saml/metadata`,
        privateKey: pair.privateKeyPem,
        signatureAlgorithm: 'sha256',
        digestAlgorithm: 'sha256',
        identifierFormat: NAME_ID_FORMAT.emailAddress,
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: false,
        validateInResponseTo: ValidateInResponseTo.always,
      });
      return { entityId, slo, saml };
    };

    /** A SAML sign-in that rides on the browser's SSO session and remembered factor; returns node-saml's profile. */
    const samlSignIn = async (agent: Agent, saml: SAML) => {
      const landing = await agent.open(await saml.getAuthorizeUrlAsync('', undefined, {}));
      const page = await drivePrompt(agent, landing, null);
      const { profile } = await saml.validatePostResponseAsync(postedFields(page.body).fields);
      assert.ok(profile);
      return profile;
    };

    /** Follows one of our LogoutRequests at `at` (a Redirect to the SP): node-saml checks it and answers. */
    const answerAsSp = async (agent: Agent, sp: { slo: string; saml: SAML }, at: Landing) => {
      assert.equal(at.url.origin + at.url.pathname, sp.slo, `the browser is sent to ${sp.slo}`);
      const query = Object.fromEntries(at.url.searchParams);
      const told = await sp.saml.validateRedirectAsync(query, at.url.search.slice(1));
      assert.equal(told.loggedOut, true);
      const answer = await sp.saml.getLogoutResponseUrlAsync(told.profile!, query.RelayState!, {}, true);
      return agent.open(answer);
    };

    it('a SAML SP’s LogoutRequest ends the OpenID provider session and tells the OpenID client', async () => {
      const rp = await relyingParty(world, {
        settings: { backchannelLogoutUri: inbox.url, postLogoutRedirectUris: [`${inbox.base}/out`] },
      });
      const sp = await connectSp();
      const user = await createTestUser(world.deps, 'lena', {
        password: PASSWORD,
        email: 'lena@example.test',
      });
      const totp = await addTestTotp(world.deps, user);
      const agent = createAgent(world.url);
      const authorization = await rp.begin();
      const back = await signIn(agent, authorization, {
        username: 'lena',
        password: PASSWORD,
        factor: passcode(() => totp.codeAt(Date.now())),
        remember: true,
      });
      const sid = (await rp.finish(back.url, authorization)).claims()?.sid;
      assert.ok(sid);
      const profile = await samlSignIn(agent, sp.saml);
      const ssoToken = agent.cookie('__Host-cs-sso');
      const before = inbox.tokens.length;

      const answered = await agent.open(await sp.saml.getLogoutUrlAsync(profile, 'bye', {}));
      assert.equal(answered.url.origin + answered.url.pathname, sp.slo, 'the SP gets its LogoutResponse');
      const done = await sp.saml.validateRedirectAsync(
        Object.fromEntries(answered.url.searchParams),
        answered.url.search.slice(1),
      );
      assert.equal(done.loggedOut, true);
      assert.equal(await loadSsoSession(world.deps, ssoToken), null, 'the SSO session ended');
      const told = inbox.tokens.slice(before).map(jwtClaims);
      assert.equal(told.length, 1, 'the OpenID client was told over the back channel');
      assert.equal(told[0]!.aud, rp.clientId);
      assert.equal(told[0]!.sid, sid, 'naming the session it knows');
      assert.equal(told[0]!.sub, user.id);
      // The provider's own session ended too: the client cannot sign the browser in without the password.
      const again = await agent.open((await rp.begin()).url);
      assert.match(again.url.pathname, /^\/oidc\/interaction\/[^/]+$/);
      assert.match(again.body, /type="password"/);
    });

    it('an OpenID client’s logout takes the browser round every SAML SP, then to its post-logout page', async () => {
      const rp = await relyingParty(world, { settings: { postLogoutRedirectUris: [`${inbox.base}/out`] } });
      const first = await connectSp();
      const second = await connectSp();
      const user = await createTestUser(world.deps, 'mika', {
        password: PASSWORD,
        email: 'mika@example.test',
      });
      const totp = await addTestTotp(world.deps, user);
      const agent = createAgent(world.url);
      const authorization = await rp.begin();
      const back = await signIn(agent, authorization, {
        username: 'mika',
        password: PASSWORD,
        factor: passcode(() => totp.codeAt(Date.now())),
        remember: true,
      });
      const idToken = String((await rp.finish(back.url, authorization)).id_token);
      await samlSignIn(agent, first.saml);
      await samlSignIn(agent, second.saml);
      const ssoToken = agent.cookie('__Host-cs-sso');

      const question = await agent.open(
        client.buildEndSessionUrl(rp.config, {
          id_token_hint: idToken,
          post_logout_redirect_uri: `${inbox.base}/out`,
          state: 'bye',
        }),
      );
      const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(question.body)?.[1];
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.body)?.[1];
      assert.ok(action && xsrf, question.body);
      const toFirst = await agent.submit(action, { xsrf, logout: 'yes' });
      assert.equal(await loadSsoSession(world.deps, ssoToken), null, 'the SSO session ended');
      const toSecond = await answerAsSp(agent, first, toFirst);
      const end = await answerAsSp(agent, second, toSecond);
      assert.equal(end.url.origin + end.url.pathname, `${inbox.base}/out`, 'then where the client asked');
      assert.equal(end.url.searchParams.get('state'), 'bye');
      // Signed out: the next SAML sign-in asks for the password again.
      const again = await agent.open(await first.saml.getAuthorizeUrlAsync('', undefined, {}));
      assert.match(again.url.pathname, /^\/saml\/sign-in\/[^/]+$/);
      assert.match(again.body, /type="password"/);
    });

    it('an administrator’s sign-out (signUserOut, as `countersign user sign-out`) ends the SSO session and the remembered factor', async () => {
      const rp = await relyingParty(world, { settings: { backchannelLogoutUri: inbox.url } });
      const sp = await connectSp();
      const user = await createTestUser(world.deps, 'nora', {
        password: PASSWORD,
        email: 'nora@example.test',
      });
      const totp = await addTestTotp(world.deps, user);
      const agent = createAgent(world.url);
      const authorization = await rp.begin();
      const back = await signIn(agent, authorization, {
        username: 'nora',
        password: PASSWORD,
        factor: passcode(() => totp.codeAt(Date.now())),
        remember: true,
      });
      const sid = (await rp.finish(back.url, authorization)).claims()?.sid;
      await samlSignIn(agent, sp.saml);
      const before = inbox.tokens.length;
      const log = { info: () => {}, error: () => {}, warn: () => {} };
      const result = await signUserOut(world.deps, 'admin', user, [
        oidcSignOutListener(world.deps, () => world.host.get(), log),
      ]);
      assert.equal(result.notified, 1);
      assert.ok(result.ended >= 2, 'the SSO session and the remembered browser at least');
      assert.equal(jwtClaims(inbox.tokens[before]!).sid, sid);
      // The next SAML sign-in asks for the password, then for the factor: neither session nor memory is left.
      const landing = await agent.open(await sp.saml.getAuthorizeUrlAsync('', undefined, {}));
      assert.match(landing.url.pathname, /^\/saml\/sign-in\/[^/]+$/);
      const prompt = await agent.submit(`${landing.url.pathname}/password`, {
        username: 'nora',
        password: PASSWORD,
      });
      const [bypass] = await issueTestBypassCodes(world.deps, user);
      let asked = false;
      const page = await drivePrompt(agent, prompt, async (driver) => {
        asked = true;
        await passcode(() => String(bypass))(driver);
      });
      assert.ok(asked, 'the remembered browser was forgotten');
      assert.ok((await sp.saml.validatePostResponseAsync(postedFields(page.body).fields)).profile);
    });

    it('the user’s own “sign out everywhere” in the portal tells the OpenID client too', async () => {
      const rp = await relyingParty(world, { settings: { backchannelLogoutUri: inbox.url } });
      const user = await createTestUser(world.deps, 'olga', { password: PASSWORD });
      const totp = await addTestTotp(world.deps, user);
      const agent = createAgent(world.url);
      const authorization = await rp.begin();
      const back = await signIn(agent, authorization, {
        username: 'olga',
        password: PASSWORD,
        factor: passcode(() => totp.codeAt(Date.now())),
      });
      const sid = (await rp.finish(back.url, authorization)).claims()?.sid;
      const before = inbox.tokens.length;
      // A portal session that has just passed its second factor, as after the portal's sign-in.
      const { session, token } = await startWebSession(world.deps, user, 'portal', {
        mfa: true,
        data: { scope: 'full' },
      });
      const answer = await fetch(`${world.url}/portal/api/sign-out-everywhere`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `${SESSION_COOKIE}=${token}`,
          origin: new URL(world.url).origin,
          'x-csrf-token': session.csrf,
        },
        body: '{}',
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      assert.equal(inbox.tokens.length, before + 1, 'the client got a logout token');
      assert.equal(jwtClaims(inbox.tokens[before]!).sid, sid);
      const again = await agent.open((await rp.begin()).url);
      assert.match(again.url.pathname, /^\/oidc\/interaction\/[^/]+$/, 'the password is asked again');
    });

    it('the Admin API’s sign-out (POST /admin/v1/countersign/users/{id}/sign_out) does the same, signed as Duo signs', async () => {
      const rp = await relyingParty(world, { settings: { backchannelLogoutUri: inbox.url } });
      const sp = await connectSp();
      const user = await createTestUser(world.deps, 'pavel', {
        password: PASSWORD,
        email: 'pavel@example.test',
      });
      const totp = await addTestTotp(world.deps, user);
      const agent = createAgent(world.url);
      const authorization = await rp.begin();
      const back = await signIn(agent, authorization, {
        username: 'pavel',
        password: PASSWORD,
        factor: passcode(() => totp.codeAt(Date.now())),
        remember: true,
      });
      const sid = (await rp.finish(back.url, authorization)).claims()?.sid;
      await samlSignIn(agent, sp.saml);
      const before = inbox.tokens.length;
      const admin = await createTestAdminApp(world.deps);
      const call = authApiCaller(world.url, admin.ikey, admin.skey);
      const answer = await call('POST', `/admin/v1/countersign/users/${user.id}/sign_out`, {});
      assert.equal(answer.notified, 1);
      assert.equal(jwtClaims(inbox.tokens[before]!).sid, sid);
      const landing = await agent.open(await sp.saml.getAuthorizeUrlAsync('', undefined, {}));
      assert.match(
        landing.url.pathname,
        /^\/saml\/sign-in\/[^/]+$/,
        'the SSO session ended: the password again',
      );
      const audit = await world.deps.store.audit.tail({ limit: 20, kind: 'admin' });
      assert.ok(
        audit.some(
          (e) =>
            e.action === 'user.sign-out-everywhere' &&
            e.userId === user.id &&
            e.actor === `admin-api:${admin.ikey}`,
        ),
        'audited with the integration as the actor',
      );
    });
  });
}
