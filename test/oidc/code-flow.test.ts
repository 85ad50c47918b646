// OpenID Connect with openid-client as the relying party: discovery, code + PKCE, the ID token's auth_time / acr /
// amr, userinfo with the directory's attributes, refresh tokens, and the sign-in page's refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { ACR } from '../../src/core/sso/sign-in-facts.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { createAgent, type OidcWorld, passcode, relyingParty, signIn, startOidcWorld } from './harness.ts';

describe('OIDC: authorization code with PKCE', () => {
  let world: OidcWorld;
  before(async () => {
    world = await startOidcWorld();
  });
  after(() => world?.close());

  it('publishes discovery: issuer, endpoints, PKCE S256, acr values, amr among the claims', async () => {
    const response = await fetch(`${world.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, world.issuer);
    assert.equal(metadata.authorization_endpoint, `${world.issuer}/authorize`);
    assert.equal(metadata.token_endpoint, `${world.issuer}/token`);
    assert.equal(metadata.end_session_endpoint, `${world.issuer}/logout`);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.acr_values_supported, [ACR.mfa, ACR.sfa]);
    assert.ok((metadata.claims_supported as string[]).includes('amr'));
    assert.equal(metadata.backchannel_logout_supported, true);
  });

  it('signs in with password and TOTP; the ID token carries auth_time, acr and amr; userinfo the directory attributes', async () => {
    const rp = await relyingParty(world);
    const user = await createTestUser(world.deps, 'ada', {
      password: 'correct horse battery',
      realName: 'Ada Lovelace',
      email: 'ada@example.test',
      groups: ['staff', 'engineering'],
    });
    const totp = await addTestTotp(world.deps, user);
    const agent = createAgent(world.url);
    const authorization = await rp.begin({ scope: 'openid profile email groups' });
    const callback = await signIn(agent, authorization, {
      username: 'ada',
      password: 'correct horse battery',
      factor: passcode(() => totp.codeAt(Date.now())),
    });
    assert.equal(`${callback.url.origin}${callback.url.pathname}`, rp.redirectUri);
    const tokens = await rp.finish(callback.url, authorization);
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.amr, ['mfa', 'otp', 'pwd']);
    assert.equal(claims.acr, ACR.mfa);
    assert.equal(typeof claims.auth_time, 'number');
    assert.ok(Math.abs(Number(claims.auth_time) - Date.now() / 1000) < 60);
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, user.id);
    assert.equal(info.preferred_username, 'ada');
    assert.equal(info.name, 'Ada Lovelace');
    assert.equal(info.email, 'ada@example.test');
    assert.deepEqual(info.groups, ['staff', 'engineering']);
  });
});
