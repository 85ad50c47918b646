// OpenID Connect test world: a real server, OIDC clients made like `countersign app add --type oidc`, openid-client
// as the relying party, and the user's part driven through the sign-in page and the prompt's JSON API.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { type Countersign, openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { type Clock, secureRandom, systemClock } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Application, PolicyLayer } from '../../src/core/model.ts';
import { createOidcClient, type OidcClientSettings } from '../../src/core/oidc/client-settings.ts';
import { type KeyRing, newKeyRing } from '../../src/crypto/keyring.ts';
import type { ProviderHost } from '../../src/fronts/oidc/provider-host.ts';
import type { FlowView } from '../../src/fronts/prompt/flow-view-shape.ts';
import { createHttpServer, type HttpServer } from '../../src/server.ts';
import { freePort } from '../prompt/harness.ts';
import { type Agent, createAgent, type Landing } from './agent.ts';

export interface OidcWorld {
  url: string;
  issuer: string;
  deps: CoreDeps;
  countersign: Countersign;
  http: HttpServer;
  host: ProviderHost;
  close(): Promise<void>;
}

/** Starts a server (SQLite in a temp dir unless `databaseUrl`); nodes of one cluster share `ring`. */
export async function startOidcWorld(
  options: { databaseUrl?: string; ring?: KeyRing; clock?: Clock; config?: Record<string, unknown> } = {},
): Promise<OidcWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-oidc-'));
  const port = await freePort();
  const config = buildConfig(
    undefined,
    {},
    {
      data_dir: dataDir,
      'http.host': '127.0.0.1',
      'http.port': port,
      log_level: 'silent',
      public_url: `http://localhost:${port}`,
      ...(options.databaseUrl && { database_url: options.databaseUrl }),
      ...options.config,
    },
  );
  // The provider keeps time with Date: the server does too (tests move both with node:test's mocked Date).
  const countersign = await openCountersign(config, {
    clock: options.clock ?? systemClock,
    ring: options.ring ?? newKeyRing(secureRandom),
  });
  let host: ProviderHost | undefined;
  const http = createHttpServer(countersign, { logger: false, onOidcHost: (h) => (host = h) });
  const url = await http.listen();
  assert.ok(host, 'the OIDC plugin registered');
  return {
    url,
    issuer: `${url}/oidc`,
    deps: countersign.deps,
    countersign,
    http,
    host,
    async close() {
      try {
        await http.close();
        await countersign.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** What a relying party's back-channel logout endpoint received. */
export interface BackchannelInbox {
  url: string;
  /** The server's base URL (for callback and post-logout pages). */
  base: string;
  tokens: string[];
  close(): Promise<void>;
}

/**
 * A relying party's little server: `/backchannel-logout` records each logout_token (OIDC Back-Channel Logout §2.5);
 * any other path (the callback, the post-logout page) answers a plain page, for browsers.
 */
export async function backchannelInbox(): Promise<BackchannelInbox> {
  const tokens: string[] = [];
  const server: Server = createServer((request, response) => {
    if (!request.url?.startsWith('/backchannel-logout')) {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>RP</title><h1>Back at the application</h1>');
      return;
    }
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) tokens.push(token);
      response.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    base: `http://127.0.0.1:${port}`,
    tokens,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A relying party: an `oidc` application and openid-client configured for it from our discovery document. */
export interface RelyingParty {
  app: Application;
  clientId: string;
  secret: string;
  redirectUri: string;
  config: client.Configuration;
  /** An authorization URL with PKCE, state and nonce (and extra parameters). */
  begin(params?: Record<string, string>): Promise<Authorization>;
  /** Exchanges the callback for tokens, checking state, nonce and PKCE as openid-client does. */
  finish(callback: URL, authorization: Authorization): ReturnType<typeof client.authorizationCodeGrant>;
}

export interface Authorization {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
  maxAge?: number;
}

let rpCount = 0;

/** Connects a relying party named uniquely; settings default to a confidential client with one redirect URI. */
export async function relyingParty(
  world: OidcWorld,
  options: {
    settings?: Partial<OidcClientSettings>;
    policy?: PolicyLayer;
    name?: string;
    /** Where the browser returns (default: an address nobody serves; the test agent never follows it). */
    redirectUri?: string;
  } = {},
): Promise<RelyingParty> {
  const redirectUri = options.redirectUri ?? `http://127.0.0.1:9/callback/${++rpCount}`;
  const { app, secret, settings } = await createOidcClient(world.deps, 'test', {
    name: options.name ?? `Relying party ${++rpCount}`,
    ...(options.policy && { policy: options.policy }),
    settings: { redirectUris: [redirectUri], ...options.settings },
  });
  const auth =
    settings.tokenAuthMethod === 'none'
      ? client.None()
      : settings.tokenAuthMethod === 'client_secret_post'
        ? client.ClientSecretPost(secret)
        : client.ClientSecretBasic(secret);
  const config = await client.discovery(new URL(world.issuer), app.ikey, undefined, auth, {
    execute: [client.allowInsecureRequests],
  });
  return {
    app,
    clientId: app.ikey,
    secret,
    redirectUri: settings.redirectUris[0]!,
    config,
    async begin(params = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      return { url, verifier, state, nonce, ...(params.max_age && { maxAge: Number(params.max_age) }) };
    },
    finish(callback, authorization) {
      return client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: authorization.verifier,
        expectedState: authorization.state,
        expectedNonce: authorization.nonce,
        ...(authorization.maxAge !== undefined && { maxAge: authorization.maxAge }),
      });
    },
  };
}

/** The prompt flow the browser is on, driven through the prompt's JSON API. */
export interface PromptDriver {
  flowId: string;
  view: FlowView;
  /** POSTs one step (`begin`, `passcode`, `push`, …) and keeps the new view. */
  step(name: string, body?: object): Promise<FlowView>;
  /** Reads the view again (a push answered on the phone). */
  reload(): Promise<FlowView>;
}

/** What the user does in the prompt: a factor, or nothing when the browser is remembered. */
export type FactorStep = (prompt: PromptDriver) => Promise<void>;

/** Types a passcode. */
export const passcode =
  (code: () => string): FactorStep =>
  async (prompt) => {
    await prompt.step('passcode', { passcode: code() });
  };

/** Drives the prompt at `landing` (its page) to the end; returns where it sends the browser (the callback). */
export async function drivePrompt(
  agent: Agent,
  landing: Landing,
  factor: FactorStep | null,
  options: { remember?: boolean } = {},
): Promise<Landing> {
  const flowId = /^\/prompt\/([A-Za-z0-9_-]{43})$/.exec(landing.url.pathname)?.[1];
  assert.ok(
    flowId,
    `the browser is on the prompt: ${landing.url} (${landing.status}) ${landing.body.slice(0, 300)}`,
  );
  const path = `/prompt/api/flows/${flowId}`;
  const first = await agent.api<FlowView>('GET', path);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const driver: PromptDriver = {
    flowId,
    view: first.body,
    async step(name, body = {}) {
      const answer = await agent.api<FlowView>('POST', `${path}/${name}`, body, driver.view.csrf);
      assert.equal(answer.status, 200, `${name}: ${JSON.stringify(answer.body)}`);
      driver.view = answer.body;
      return driver.view;
    },
    async reload() {
      const answer = await agent.api<FlowView>('GET', path);
      driver.view = answer.body;
      return driver.view;
    },
  };
  if (driver.view.stage === 'begin') await driver.step('begin');
  if (driver.view.stage === 'factor') {
    assert.ok(factor, `the prompt asks for a factor (${JSON.stringify(driver.view.tx)})`);
    await factor(driver);
  }
  const end =
    driver.view.stage === 'allowed'
      ? await agent.api<{ redirect: string }>(
          'POST',
          `${path}/finish`,
          { remember: options.remember ?? false },
          driver.view.csrf,
        )
      : await agent.api<{ redirect: string }>('POST', `${path}/cancel`, {}, driver.view.csrf);
  assert.equal(end.status, 200, JSON.stringify(end.body));
  return agent.open(end.body.redirect);
}

/**
 * One sign-in from the authorization URL to the relying party's callback: the sign-in page when it shows (with
 * `password`), then the prompt with `factor`.
 */
export async function signIn(
  agent: Agent,
  authorization: Authorization,
  input: { username: string; password?: string; factor: FactorStep | null; remember?: boolean },
): Promise<Landing> {
  let landing = await agent.open(authorization.url);
  if (/^\/oidc\/interaction\/[^/]+$/.test(landing.url.pathname)) {
    assert.equal(landing.status, 200, landing.body);
    assert.ok(input.password !== undefined, 'the sign-in page asks for the password');
    landing = await agent.submit(`${landing.url.pathname}/sign-in`, {
      username: input.username,
      password: input.password,
    });
  }
  return drivePrompt(agent, landing, input.factor, { remember: input.remember ?? false });
}

export { createAgent };
