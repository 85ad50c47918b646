// Duo's own Universal SDK (@duosecurity/duo_universal 3.0.0) against Countersign over HTTPS with a test CA.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { Client } from '@duosecurity/duo_universal';
import axios, { type AxiosInstance } from 'axios';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { systemClock } from '../../src/core/clock.ts';
import { beginTransaction } from '../../src/core/transaction/index.ts';
import { issueAuthorizationCode } from '../../src/core/web/universal-codes.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import { type PromptWorld, startPromptWorld } from '../prompt/harness.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';

const REDIRECT = 'http://localhost:3000/redirect';

describe('Duo Universal SDK 3.0.0 against /oauth/v1', () => {
  let certs: TestCertificates;
  let world: PromptWorld<typeof systemClock>;
  let agent: https.Agent;
  let browser: AxiosInstance;

  /** An SDK client whose private axios trusts the test CA (reference §7, recipe 1). */
  const sdkClient = (
    secret = world.client.secret,
    clientId = world.client.clientId,
    redirectUrl = REDIRECT,
  ) => {
    const client = new Client({
      clientId,
      clientSecret: secret,
      apiHost: new URL(world.url).host,
      redirectUrl,
    });
    (client as unknown as { axios: AxiosInstance }).axios = axios.create({
      baseURL: world.url,
      httpsAgent: agent,
    });
    return client;
  };

  /** Plays the browser through the prompt with a TOTP passcode; returns the callback URL it is sent to. */
  const signIn = async (authUrl: string, username: string): Promise<URL> => {
    // A TOTP code is accepted once: each sign-in has its own user.
    const totp = await addTestTotp(world.deps, await createTestUser(world.deps, username));
    const start = await browser.get(authUrl);
    assert.equal(start.status, 302, 'authorize redirects into the prompt');
    const cookie = String(start.headers['set-cookie']?.[0]).split(';')[0]!;
    const flowId = String(start.headers.location).split('/')[2]!;
    const api = `${world.url}/prompt/api/flows/${flowId}`;
    const view = (await browser.get(api, { headers: { cookie } })).data as { csrf: string };
    const headers = {
      cookie,
      origin: world.url,
      'x-csrf-token': view.csrf,
      'content-type': 'application/json',
    };
    const begun = await browser.post(`${api}/begin`, {}, { headers });
    assert.equal(begun.data.stage, 'factor');
    const checked = await browser.post(`${api}/passcode`, { passcode: totp.codeAt(Date.now()) }, { headers });
    assert.equal(checked.data.stage, 'allowed', JSON.stringify(checked.data));
    const finished = await browser.post(`${api}/finish`, { remember: false }, { headers });
    assert.equal(finished.status, 200);
    return new URL(finished.data.redirect);
  };

  before(async () => {
    certs = await createTestCertificates();
    world = await startPromptWorld({
      clock: systemClock,
      tls: { certFile: certs.certFile, keyFile: certs.keyFile },
    });
    agent = new https.Agent({ ca: certs.caPem });
    browser = axios.create({ httpsAgent: agent, maxRedirects: 0, validateStatus: () => true });
  });
  after(async () => {
    await world?.close();
    await certs?.remove();
  });

  it('passes the health check', async () => {
    const result = await sdkClient().healthCheck();
    assert.equal(result.stat, 'OK');
    assert.equal(typeof result.response.timestamp, 'number');
  });

  it('signs in: createAuthUrl → prompt → duo_code & state → a verified id_token that says allow', async () => {
    const client = sdkClient();
    const state = client.generateState();
    const callback = await signIn(await client.createAuthUrl('alice', state), 'alice');
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT);
    assert.equal(callback.searchParams.get('state'), state);
    const code = callback.searchParams.get('duo_code');
    assert.ok(code);
    const token = await client.exchangeAuthorizationCodeFor2FAResult(code, 'alice');
    assert.equal(token.auth_result.result, 'allow');
    assert.equal(token.preferred_username, 'alice');
    assert.equal(token.auth_context.factor, 'passcode');
    assert.equal(token.auth_context.application.key, world.client.clientId);
    assert.equal(token.auth_context.user.name, 'alice');

    // A code is single use.
    await assert.rejects(client.exchangeAuthorizationCodeFor2FAResult(code, 'alice'), /invalid_grant/);
  });

  it('refuses the exchange for another username', async () => {
    const client = sdkClient();
    const callback = await signIn(await client.createAuthUrl('bob', client.generateState()), 'bob');
    await assert.rejects(
      client.exchangeAuthorizationCodeFor2FAResult(callback.searchParams.get('duo_code')!, 'mallory'),
      /The username is invalid/,
    );
  });

  it('issue 15: refuses a code exchanged with another redirect_uri than it was issued for, and burns it', async () => {
    const client = sdkClient();
    const callback = await signIn(await client.createAuthUrl('dave', client.generateState()), 'dave');
    const code = callback.searchParams.get('duo_code')!;
    // Same client and secret, only the redirect_uri sent with the exchange differs (RFC 6749 §4.1.3).
    const elsewhere = sdkClient(undefined, undefined, 'http://localhost:3000/elsewhere');
    await assert.rejects(elsewhere.exchangeAuthorizationCodeFor2FAResult(code, 'dave'), /invalid_grant/);
    await assert.rejects(client.exchangeAuthorizationCodeFor2FAResult(code, 'dave'), /invalid_grant/);
  });

  it('issue 15: a code is redeemed only by the client it was issued to, for a login of that client', async () => {
    // A second Universal client, with an allowed login of its own.
    const other = await createApplication(world.deps, 'test', { name: 'Second client', type: 'universal' });
    const otherClient = sdkClient(other.skey, other.app.ikey);
    const first = (await world.deps.store.applications.findByIkey(world.client.clientId))!;
    const user = await createTestUser(world.deps, 'erin', { status: 'bypass' });
    const allowedFor = async (app: typeof first) => {
      const { tx } = await beginTransaction(world.deps, { app, user, ip: null, factor: null });
      assert.equal(tx.state, 'allow');
      return tx;
    };
    const codeFor = async (clientId: string, app: typeof first) =>
      issueAuthorizationCode(
        world.deps,
        { kind: 'universal', clientId, redirectUri: REDIRECT, state: 's', nonce: null, useDuoCode: true },
        'erin',
        await allowedFor(app),
      );
    // A code the first client got through the prompt, presented by the second.
    const client = sdkClient();
    const callback = await signIn(await client.createAuthUrl('frank', client.generateState()), 'frank');
    await assert.rejects(
      otherClient.exchangeAuthorizationCodeFor2FAResult(callback.searchParams.get('duo_code')!, 'frank'),
      /invalid_grant/,
    );
    // Each binding on its own: issued to the first client for the second's login, and to the second client
    // for the first's login; the second client presents both.
    await assert.rejects(
      otherClient.exchangeAuthorizationCodeFor2FAResult(
        await codeFor(world.client.clientId, other.app),
        'erin',
      ),
      /invalid_grant/,
    );
    await assert.rejects(
      otherClient.exchangeAuthorizationCodeFor2FAResult(await codeFor(other.app.ikey, first), 'erin'),
      /invalid_grant/,
    );
    // The control: issued to the second client for its own login, it is exchanged.
    const token = await otherClient.exchangeAuthorizationCodeFor2FAResult(
      await codeFor(other.app.ikey, other.app),
      'erin',
    );
    assert.equal(token.auth_result.result, 'allow');
  });

  it('refuses a client assertion signed with the wrong secret', async () => {
    const wrong = sdkClient('x'.repeat(40));
    await assert.rejects(wrong.healthCheck(), /invalid_client: The provided client_assertion was invalid\./);
    const client = sdkClient();
    const callback = await signIn(await client.createAuthUrl('carol', client.generateState()), 'carol');
    await assert.rejects(
      wrong.exchangeAuthorizationCodeFor2FAResult(callback.searchParams.get('duo_code')!, 'carol'),
      /invalid_client/,
    );
  });

  it('refuses an application that is not a universal client', async () => {
    const { app, skey } = await createApplication(world.deps, 'test', { name: 'VPN', type: 'auth-api' });
    await assert.rejects(sdkClient(skey, app.ikey).healthCheck(), /invalid_client/);
  });

  it('answers a bad authorize request with a 400 page, never a redirect', async () => {
    const client = sdkClient('y'.repeat(40));
    const response = await browser.get(await client.createAuthUrl('alice', client.generateState()));
    assert.equal(response.status, 400);
    assert.equal(response.headers.location, undefined);
    // Plain words for the person; "the signature does not verify" is the operator's, in the log.
    assert.match(String(response.data), /This sign-in link is not valid/);
    assert.doesNotMatch(String(response.data), /signature|JWT/i);
  });
});
