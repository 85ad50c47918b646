// A small web application protected with OpenID Connect (openid-client: code flow with PKCE, userinfo, logout).
//
// One command, with a throw-away Countersign beside it (a demo user, an OIDC client, bypass codes to sign in):
//
//   node examples/oidc-app.ts
//
// Against your own Countersign (`countersign app add "Example app" --type oidc --redirect-uri
// http://localhost:3000/callback --post-logout-redirect-uri http://localhost:3000/`):
//
//   OIDC_ISSUER=https://mfa.example.org/oidc OIDC_CLIENT_ID=DI… OIDC_CLIENT_SECRET=… node examples/oidc-app.ts
//
// Then open http://localhost:3000 (PORT changes it; COUNTERSIGN_PORT the demo Countersign's 8080). See docs/oidc.md.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { openCountersign } from '../src/app.ts';
import { buildConfig } from '../src/config.ts';
import { addTotp } from '../src/core/admin/add-totp.ts';
import { createUser } from '../src/core/admin/create-user.ts';
import { issueBypassCodes } from '../src/core/admin/issue-bypass-codes.ts';
import { secureRandom } from '../src/core/clock.ts';
import { createOidcClient } from '../src/core/oidc/client-settings.ts';
import { newKeyRing } from '../src/crypto/keyring.ts';
import { createHttpServer } from '../src/server.ts';

const APP_PORT = Number(process.env.PORT ?? 3000);
const DEMO_PORT = Number(process.env.COUNTERSIGN_PORT ?? 8080);
const APP_URL = `http://localhost:${APP_PORT}`;
const REDIRECT_URI = `${APP_URL}/callback`;

/** Starts a Countersign on http://localhost:8080 (COUNTERSIGN_PORT) in a temporary folder, with a demo user and this app's client. */
async function demoCountersign(): Promise<{ issuer: string; clientId: string; secret: string }> {
  const config = buildConfig(
    undefined,
    {},
    {
      data_dir: await mkdtemp(join(tmpdir(), 'countersign-demo-')),
      'http.host': '127.0.0.1',
      'http.port': DEMO_PORT,
      public_url: `http://localhost:${DEMO_PORT}`,
      log_level: 'warn',
      'radius.enabled': false,
    },
  );
  const countersign = await openCountersign(config, { ring: newKeyRing(secureRandom) });
  const url = await createHttpServer(countersign).listen();
  const { deps } = countersign;
  const user = await createUser(deps, 'demo', {
    username: 'demo',
    password: 'demo-password',
    realName: 'Demo User',
    email: 'demo@example.test',
    groups: ['staff'],
  });
  const { uri } = await addTotp(deps, 'demo', user, { issuer: 'Countersign demo' });
  const { codes } = await issueBypassCodes(deps, 'demo', user, { count: 5, expiresInSeconds: null });
  const { app, secret } = await createOidcClient(deps, 'demo', {
    name: 'Example app',
    settings: { redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [`${APP_URL}/`] },
  });
  console.log(`Countersign is at ${url} (issuer ${url}/oidc).`);
  console.log(
    'Sign in as demo / demo-password, then use one of these single-use codes as the second factor:',
  );
  console.log(`  ${codes.join('  ')}`);
  console.log(`or add this to an authenticator app: ${uri}`);
  return { issuer: `${url}/oidc`, clientId: app.ikey, secret };
}

const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = process.env;
const server =
  OIDC_ISSUER && OIDC_CLIENT_ID && OIDC_CLIENT_SECRET
    ? { issuer: OIDC_ISSUER, clientId: OIDC_CLIENT_ID, secret: OIDC_CLIENT_SECRET }
    : await demoCountersign();
const issuer = new URL(server.issuer);
const config = await client.discovery(
  issuer,
  server.clientId,
  undefined,
  client.ClientSecretBasic(server.secret),
  {
    // A local Countersign speaks plain http; anything else must be https.
    ...(issuer.protocol === 'http:' && { execute: [client.allowInsecureRequests] }),
  },
);

interface Session {
  /** Between /login and /callback: what the callback must match. */
  pending?: { verifier: string; state: string; nonce: string };
  idToken?: string;
  claims?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
}
const sessions = new Map<string, Session>();

function sessionOf(request: IncomingMessage, response: ServerResponse): Session {
  const id = /(?:^|;\s*)app-session=([A-Za-z0-9_-]{43})/.exec(request.headers.cookie ?? '')?.[1];
  if (id && sessions.has(id)) return sessions.get(id)!;
  const fresh = randomBytes(32).toString('base64url');
  sessions.set(fresh, {});
  response.setHeader('set-cookie', `app-session=${fresh}; Path=/; HttpOnly; SameSite=Lax`);
  return sessions.get(fresh)!;
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example app</title></head><body>${body}</body></html>`,
  );
}

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', APP_URL);
  const session = sessionOf(request, response);
  try {
    if (url.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const pending = { verifier, state: client.randomState(), nonce: client.randomNonce() };
      session.pending = pending;
      const target = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile email groups',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      response.writeHead(302, { location: target.href }).end();
    } else if (url.pathname === '/callback') {
      const { pending } = session;
      if (!pending) return page(response, '<p>No sign-in was started here. <a href="/">Start again</a>.</p>');
      session.pending = undefined;
      if (url.searchParams.get('error')) {
        return page(
          response,
          `<p>Not signed in: ${escapeHtml(url.searchParams.get('error_description'))} <a href="/">Back</a></p>`,
        );
      }
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      session.idToken = tokens.id_token;
      session.claims = { ...tokens.claims() };
      session.userinfo = {
        ...(await client.fetchUserInfo(config, tokens.access_token, String(session.claims.sub))),
      };
      response.writeHead(302, { location: '/' }).end();
    } else if (url.pathname === '/logout') {
      const target = client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: `${APP_URL}/`,
        ...(session.idToken && { id_token_hint: session.idToken }),
      });
      session.idToken = session.claims = session.userinfo = undefined;
      response.writeHead(302, { location: target.href }).end();
    } else if (session.claims) {
      const { claims, userinfo = {} } = session;
      page(
        response,
        `<h1>Hello, ${escapeHtml(userinfo.name ?? userinfo.preferred_username)}</h1>
        <p>Signed in ${escapeHtml(new Date(Number(claims.auth_time) * 1000).toISOString())} with
        <code>amr</code> ${escapeHtml(JSON.stringify(claims.amr))} at <code>acr</code> ${escapeHtml(claims.acr)}.</p>
        <p>Groups: ${escapeHtml((userinfo.groups as string[] | undefined)?.join(', ') ?? '-')}</p>
        <p><a href="/logout">Sign out</a></p>`,
      );
    } else {
      page(response, '<h1>Example app</h1><p><a href="/login">Sign in with Countersign</a></p>');
    }
  } catch (error) {
    response
      .writeHead(500, { 'content-type': 'text/plain' })
      .end(`Sign-in failed: ${(error as Error).message}`);
  }
}).listen(APP_PORT, '127.0.0.1', () => console.log(`Example app: ${APP_URL}`));
