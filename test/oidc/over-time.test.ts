// OpenID Connect over time, on a mocked Date (the provider keeps time with Date, and so does the server here):
// max_age honoured, and signing-key rotation — the next key is in relying parties' caches before it signs, and a
// token signed by the retired key still verifies until it has expired.
import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey as NodeJwk, verify } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import * as client from 'openid-client';
import { rotateSigningKeys } from '../../src/core/oidc/signing-keys.ts';
import { KEY_CHECK_MS } from '../../src/fronts/oidc/provider-host.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import {
  createAgent,
  drivePrompt,
  type OidcWorld,
  passcode,
  relyingParty,
  signIn,
  startOidcWorld,
} from './harness.ts';

const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;

/** Verifies an RS256 JWT against the issuer's published JWKS with node:crypto alone. */
async function verifiesWithPublishedKeys(world: OidcWorld, jwt: string): Promise<boolean> {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string };
  const jwks = (await (await fetch(`${world.issuer}/jwks`)).json()) as {
    keys: Array<NodeJwk & { kid: string }>;
  };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );
}

function kidOf(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string })
    .kid;
}

describe('OIDC over time', () => {
  let world: OidcWorld;
  before(async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    world = await startOidcWorld();
  });
  after(async () => {
    await world?.close();
    mock.timers.reset();
  });

  it('max_age: a recent enough session rides on; an older one asks for the password and a new factor', async () => {
    const rp = await relyingParty(world);
    const user = await createTestUser(world.deps, 'mia', { password: PASSWORD });
    const totp = await addTestTotp(world.deps, user);
    const agent = createAgent(world.url);
    const first = await rp.begin();
    const back = await signIn(agent, first, {
      username: 'mia',
      password: PASSWORD,
      factor: passcode(() => totp.codeAt(Date.now())),
      remember: true,
    });
    const signedInAt = Number((await rp.finish(back.url, first)).claims()?.auth_time);

    mock.timers.tick(10 * 60_000);
    const recent = await rp.begin({ max_age: '3600' });
    const landing = await agent.open(recent.url);
    assert.match(landing.url.pathname, /^\/prompt\//, 'ten minutes old: the session covers max_age=3600');
    const ridden = (await rp.finish((await drivePrompt(agent, landing, null)).url, recent)).claims();
    assert.equal(ridden?.auth_time, signedInAt);

    mock.timers.tick(2 * HOUR);
    const old = await rp.begin({ max_age: '3600' });
    let asked = false;
    const callback = await signIn(agent, old, {
      username: 'mia',
      password: PASSWORD,
      factor: async (prompt) => {
        asked = true;
        await passcode(() => totp.codeAt(Date.now()))(prompt);
      },
    });
    assert.ok(asked, 'a new factor, not the remembered browser');
    const fresh = (await rp.finish(callback.url, old)).claims();
    assert.ok(Number(fresh?.auth_time) >= signedInAt + 2 * 3600, 'auth_time is the new sign-in');
    assert.deepEqual(fresh?.amr, ['mfa', 'otp', 'pwd']);
  });

  it('rotates keys: the next key is cached before it signs; the retired key verifies until its tokens expire', async () => {
    const rp = await relyingParty(world, {
      settings: { postLogoutRedirectUris: ['http://127.0.0.1:9/out'] },
    });
    // openid-client then checks every ID token's signature against our JWKS (and caches the set).
    client.enableNonRepudiationChecks(rp.config);
    const user = await createTestUser(world.deps, 'ned', { password: PASSWORD });
    const totp = await addTestTotp(world.deps, user);
    mock.timers.tick(60_000);
    const agent = createAgent(world.url);
    const first = await rp.begin();
    const back = await signIn(agent, first, {
      username: 'ned',
      password: PASSWORD,
      factor: passcode(() => totp.codeAt(Date.now())),
      remember: true,
    });
    const oldToken = String((await rp.finish(back.url, first)).id_token);
    const oldKid = kidOf(oldToken);
    const cached = client.getJwksCache(rp.config)?.jwks.keys.map((k) => k.kid) ?? [];

    const rotation = await rotateSigningKeys(world.deps, 'test', 24 * HOUR);
    assert.equal(rotation.retired, oldKid);
    assert.ok(
      rotation.promoted && cached.includes(rotation.promoted),
      'the RP cached the next key before it signed',
    );
    mock.timers.tick(KEY_CHECK_MS + 1000);

    const second = await rp.begin();
    const again = await signIn(agent, second, { username: 'ned', factor: null });
    const newToken = String((await rp.finish(again.url, second)).id_token);
    assert.equal(kidOf(newToken), rotation.promoted, 'the promoted key signs');
    assert.ok(await verifiesWithPublishedKeys(world, oldToken), 'the old token still verifies');
    const logout = await agent.open(
      client.buildEndSessionUrl(rp.config, {
        id_token_hint: oldToken,
        post_logout_redirect_uri: 'http://127.0.0.1:9/out',
      }),
    );
    assert.equal(logout.status, 200, 'a logout hint signed by the retired key is accepted');
    assert.match(logout.body, /Sign out everywhere/);

    // Past the retention (longer than any ID token lives), the retired key is no longer published.
    mock.timers.tick(25 * HOUR);
    assert.equal(await verifiesWithPublishedKeys(world, oldToken), false);
    assert.ok(await verifiesWithPublishedKeys(world, newToken));
  });
});
