// OpenID Connect sessions with openid-client: refresh tokens, single sign-on across applications with "remember me",
// prompt=login, cancelled and denied sign-ins, amr per factor, codes spent once, and both kinds of sign-out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { ACR } from '../../src/core/sso/sign-in-facts.ts';
import { loadSsoSession } from '../../src/core/sso/sso-session.ts';
import { signOutEverywhere } from '../../src/core/web/remembered.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { sendBackchannelLogouts, signedInClients } from '../../src/fronts/oidc/backchannel-logout.ts';
import { addTestTotp, createTestUser, issueTestBypassCodes } from '../support/server.ts';
import {
  backchannelInbox,
  createAgent,
  drivePrompt,
  type FactorStep,
  type OidcWorld,
  passcode,
  relyingParty,
  signIn,
  startOidcWorld,
} from './harness.ts';

const PASSWORD = 'correct horse battery';

/** Matches openid-client's error for an OAuth error response `code`. */
const oauthError = (code: string) => (error: unknown) => (error as { error?: string }).error === code;

/** Reads a JWT's claims without checking it (openid-client checked the ID tokens; logout tokens are read here). */
function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('OIDC sessions', () => {
  let world: OidcWorld;
  before(async () => {
    world = await startOidcWorld();
  });
  after(() => world?.close());

  const userWithTotp = async (name: string) => {
    const user = await createTestUser(world.deps, name, { password: PASSWORD });
    const totp = await addTestTotp(world.deps, user);
    return { user, code: () => totp.codeAt(Date.now()) };
  };

  it('issues refresh tokens to a client allowed them (offline_access), rotates them, refuses one used twice', async () => {
    // client_secret_post: the secret travels in the form body, which must reach the provider unread.
    const rp = await relyingParty(world, {
      settings: { refreshTokens: true, tokenAuthMethod: 'client_secret_post' },
    });
    const { user, code } = await userWithTotp('rita');
    const agent = createAgent(world.url);
    const authorization = await rp.begin({ scope: 'openid offline_access', prompt: 'consent' });
    const callback = await signIn(agent, authorization, {
      username: 'rita',
      password: PASSWORD,
      factor: passcode(code),
      remember: true,
    });
    const tokens = await rp.finish(callback.url, authorization);
    assert.ok(tokens.refresh_token, 'a refresh token');
    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotated');
    assert.equal(refreshed.claims()?.sub, user.id);
    assert.deepEqual(
      refreshed.claims()?.amr,
      ['mfa', 'otp', 'pwd'],
      'the refreshed ID token keeps how the user signed in',
    );
    await assert.rejects(
      client.refreshTokenGrant(rp.config, tokens.refresh_token),
      oauthError('invalid_grant'),
    );
    await assert.rejects(
      client.refreshTokenGrant(rp.config, String(refreshed.refresh_token)),
      oauthError('invalid_grant'),
      'reusing a rotated token revoked the whole grant',
    );

    const without = await relyingParty(world);
    const again = await without.begin({ scope: 'openid offline_access', prompt: 'consent' });
    const back = await signIn(agent, again, { username: 'rita', factor: null });
    assert.equal(
      (await without.finish(back.url, again)).refresh_token,
      undefined,
      'not for a client without --refresh-tokens',
    );
  });

  it('signs in to a second application without the password; "remember me" from the first covers its factor', async () => {
    const first = await relyingParty(world);
    const second = await relyingParty(world);
    const { user, code } = await userWithTotp('sam');
    const agent = createAgent(world.url);
    const one = await first.begin();
    const back = await signIn(agent, one, {
      username: 'sam',
      password: PASSWORD,
      factor: passcode(code),
      remember: true,
    });
    const firstClaims = (await first.finish(back.url, one)).claims();
    assert.ok(agent.cookie('__Host-cs-sso'), 'the SSO session cookie');
    assert.ok(agent.cookie('__Host-cs-remember'), 'the remembered second factor');

    const two = await second.begin();
    const landing = await agent.open(two.url);
    assert.match(landing.url.pathname, /^\/prompt\//, 'no sign-in page: the SSO session covers the password');
    const callback = await drivePrompt(agent, landing, null);
    const claims = (await second.finish(callback.url, two)).claims();
    assert.equal(claims?.sub, user.id);
    assert.deepEqual(claims?.amr, ['mfa', 'otp', 'pwd'], "the session's password and factor");
    assert.equal(claims?.acr, ACR.mfa);
    assert.equal(claims?.auth_time, firstClaims?.auth_time, 'nobody authenticated again');

    const sso = await loadSsoSession(world.deps, agent.cookie('__Host-cs-sso'));
    assert.deepEqual(
      sso?.data.participants.map((p) => [p.protocol, p.rp]),
      [
        ['oidc', first.clientId],
        ['oidc', second.clientId],
      ],
    );
    const audit = await world.deps.store.audit.tail({ limit: 20, kind: 'auth' });
    const signIns = audit.filter((e) => e.action === 'sso.sign-in' && e.userId === user.id);
    assert.deepEqual(
      signIns.map((e) => [e.result, e.detail.protocol, e.detail.rp]),
      [
        ['success', 'oidc', first.clientId],
        ['success', 'oidc', second.clientId],
      ],
    );
  });

  it('prompt=login asks for the password and a new factor, even on a remembered browser', async () => {
    const rp = await relyingParty(world);
    const { user, code } = await userWithTotp('tess');
    const [bypass] = await issueTestBypassCodes(world.deps, user);
    const agent = createAgent(world.url);
    const first = await rp.begin();
    await signIn(agent, first, {
      username: 'tess',
      password: PASSWORD,
      factor: passcode(code),
      remember: true,
    });
    const forced = await rp.begin({ prompt: 'login' });
    const landing = await agent.open(forced.url);
    assert.match(landing.url.pathname, /^\/oidc\/interaction\/[^/]+$/, 'the sign-in page again');
    assert.match(landing.body, /value="tess"/, 'with the username filled in');
    let asked = false;
    // This TOTP step's code is spent: the new factor is a help-desk bypass code.
    const factor: FactorStep = async (prompt) => {
      asked = true;
      await passcode(() => String(bypass))(prompt);
    };
    const callback = await signIn(agent, forced, { username: 'tess', password: PASSWORD, factor });
    assert.ok(asked, 'the remembered browser did not count');
    const claims = (await rp.finish(callback.url, forced)).claims();
    assert.deepEqual(claims?.amr, ['mfa', 'otp', 'pwd']);
  });

  it('a sign-in cancelled on the sign-in page or refused by policy returns access_denied with the state', async () => {
    const rp = await relyingParty(world);
    await userWithTotp('uma');
    const agent = createAgent(world.url);
    const cancelled = await rp.begin();
    const page = await agent.open(cancelled.url);
    const back = await agent.submit(`${page.url.pathname}/cancel`, {});
    assert.equal(back.url.searchParams.get('error'), 'access_denied');
    assert.equal(back.url.searchParams.get('state'), cancelled.state);
    assert.equal(back.url.searchParams.get('code'), null);

    const closed = await relyingParty(world, { policy: { authPolicy: 'deny' } });
    const denied = await closed.begin();
    const end = await signIn(agent, denied, { username: 'uma', password: PASSWORD, factor: null });
    assert.equal(end.url.searchParams.get('error'), 'access_denied');
    assert.equal(end.url.searchParams.get('error_description'), 'The sign-in was denied.');
    await assert.rejects(closed.finish(end.url, denied), oauthError('access_denied'));
  });

  it('refuses a wrong password with one message, and never starts the prompt', async () => {
    const rp = await relyingParty(world);
    await userWithTotp('vic');
    const agent = createAgent(world.url);
    const authorization = await rp.begin();
    const page = await agent.open(authorization.url);
    for (const [username, password] of [
      ['vic', 'wrong'],
      ['nobody-here', PASSWORD],
    ]) {
      const refused = await agent.submit(`${page.url.pathname}/sign-in`, {
        username: String(username),
        password: String(password),
      });
      assert.equal(refused.status, 401);
      assert.match(refused.body, /Incorrect username or password\./);
      assert.equal(agent.cookie('__Host-cs-prompt'), undefined);
    }
  });

  it('amr per factor: push is swk, a bypass code otp; before the enforcement date the password alone (sfa)', async () => {
    const rp = await relyingParty(world);
    const user = await createTestUser(world.deps, 'wes', { password: PASSWORD });
    const { code } = await createActivation(world.deps, 'test', user);
    const account = await activateDevice(activationLink(world.url, code), { name: 'Wes’s phone' });
    const phone = createDeviceClient(account);
    const push: FactorStep = async (prompt) => {
      const view = await prompt.step('push', { device: 'auto' });
      const [pending] = await phone.pending();
      assert.ok(pending, 'the phone has the request');
      assert.equal(await phone.approve(pending.txid, String(view.tx?.code ?? '')), 'allow');
      await prompt.reload();
    };
    const amrOf = async (factor: FactorStep | null, party = rp, username = 'wes') => {
      const agent = createAgent(world.url);
      const authorization = await party.begin();
      const back = await signIn(agent, authorization, { username, password: PASSWORD, factor });
      return (await party.finish(back.url, authorization)).claims();
    };
    assert.deepEqual((await amrOf(push))?.amr, ['mfa', 'pwd', 'swk']);
    const [bypass] = await issueTestBypassCodes(world.deps, user);
    assert.deepEqual((await amrOf(passcode(() => String(bypass))))?.amr, ['mfa', 'otp', 'pwd']);

    await createTestUser(world.deps, 'xena', { password: PASSWORD });
    const rollout = await relyingParty(world, { policy: { enforcementDate: '2999-01-01' } });
    const before = await amrOf(null, rollout, 'xena');
    assert.deepEqual(before?.amr, ['pwd']);
    assert.equal(before?.acr, ACR.sfa);
  });

  it('issue 11: spends a code once when it is redeemed twice at the same time', async () => {
    const rp = await relyingParty(world);
    const { code } = await userWithTotp('yuri');
    const agent = createAgent(world.url);
    const authorization = await rp.begin();
    const back = await signIn(agent, authorization, {
      username: 'yuri',
      password: PASSWORD,
      factor: passcode(code),
    });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => rp.finish(back.url, authorization)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one exchange wins');
    for (const r of results) if (r.status === 'rejected') assert.ok(oauthError('invalid_grant')(r.reason));
  });

  it('RP-initiated logout ends the SSO session, tells every relying party over the back channel, asks for the password again', async () => {
    const inbox = await backchannelInbox();
    try {
      const settings = (n: number) => ({
        backchannelLogoutUri: inbox.url,
        postLogoutRedirectUris: [`http://127.0.0.1:9/signed-out/${n}`],
      });
      const first = await relyingParty(world, { settings: settings(1) });
      const second = await relyingParty(world, { settings: settings(2) });
      const { user, code } = await userWithTotp('zoe');
      const agent = createAgent(world.url);
      const one = await first.begin();
      const back = await signIn(agent, one, {
        username: 'zoe',
        password: PASSWORD,
        factor: passcode(code),
        remember: true,
      });
      const idToken = String((await first.finish(back.url, one)).id_token);
      const two = await second.begin();
      await second.finish((await signIn(agent, two, { username: 'zoe', factor: null })).url, two);
      const ssoToken = agent.cookie('__Host-cs-sso');
      assert.ok(await loadSsoSession(world.deps, ssoToken));

      const logoutUrl = client.buildEndSessionUrl(first.config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: 'http://127.0.0.1:9/signed-out/1',
        state: 'bye',
      });
      const question = await agent.open(logoutUrl);
      assert.equal(question.status, 200);
      assert.match(question.body, /Sign out everywhere/);
      const action = /<form id="op\.logoutForm" method="post" action="([^"]+)"/.exec(question.body)?.[1];
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.body)?.[1];
      assert.ok(action && xsrf, question.body);
      const done = await agent.submit(action, { xsrf, logout: 'yes' });
      assert.equal(`${done.url.origin}${done.url.pathname}`, 'http://127.0.0.1:9/signed-out/1');
      assert.equal(done.url.searchParams.get('state'), 'bye');

      const told = inbox.tokens.map(jwtClaims);
      assert.deepEqual(told.map((t) => t.aud).sort(), [first.clientId, second.clientId].sort());
      for (const token of told) {
        assert.equal(token.sub, user.id);
        assert.equal(token.iss, world.issuer);
        assert.ok(token.sid, 'the session it ends');
        assert.ok((token.events as object)['http://schemas.openid.net/event/backchannel-logout' as never]);
      }
      assert.equal(agent.cookie('__Host-cs-sso'), undefined, 'the SSO cookie is cleared');
      assert.equal(await loadSsoSession(world.deps, ssoToken), null, 'and the session ended on the server');
      const next = await agent.open((await first.begin()).url);
      assert.match(next.url.pathname, /^\/oidc\/interaction\/[^/]+$/, 'the password is asked again');
    } finally {
      await inbox.close();
    }
  });

  it("an administrator's sign-out ends the SSO session and the remembered browser, revokes tokens, tells the RPs", async () => {
    const inbox = await backchannelInbox();
    try {
      const rp = await relyingParty(world, {
        settings: { refreshTokens: true, backchannelLogoutUri: inbox.url },
      });
      const { user, code } = await userWithTotp('amos');
      const agent = createAgent(world.url);
      const authorization = await rp.begin({ scope: 'openid offline_access', prompt: 'consent' });
      const back = await signIn(agent, authorization, {
        username: 'amos',
        password: PASSWORD,
        factor: passcode(code),
        remember: true,
      });
      const tokens = await rp.finish(back.url, authorization);
      const clients = await signedInClients(world.deps, user.id);
      assert.deepEqual(clients, [{ clientId: rp.clientId, sid: tokens.claims()?.sid }]);
      await signOutEverywhere(world.deps, 'test', user);
      const log = { info: () => {}, error: () => {}, warn: () => {} };
      assert.equal(await sendBackchannelLogouts(await world.host.get(), user.id, clients, log), 1);
      assert.equal(jwtClaims(inbox.tokens[0]!).sid, tokens.claims()?.sid);

      await assert.rejects(
        client.refreshTokenGrant(rp.config, String(tokens.refresh_token)),
        oauthError('invalid_grant'),
      );
      const again = await rp.begin();
      const page = await agent.open(again.url);
      assert.match(
        page.url.pathname,
        /^\/oidc\/interaction\/[^/]+$/,
        'the SSO session ended: the password again',
      );
      const prompt = await agent.submit(`${page.url.pathname}/sign-in`, {
        username: 'amos',
        password: PASSWORD,
      });
      let asked = false;
      const [bypass] = await issueTestBypassCodes(world.deps, user);
      const end = await drivePrompt(agent, prompt, async (p) => {
        asked = true;
        await passcode(() => String(bypass))(p);
      });
      assert.ok(asked, 'the remembered browser was forgotten: the factor again');
      assert.ok((await rp.finish(end.url, again)).access_token);
    } finally {
      await inbox.close();
    }
  });
});
