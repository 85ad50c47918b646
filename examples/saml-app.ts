// A small web application protected with SAML 2.0 (node-saml as the service provider: signed AuthnRequests, our
// signed Response checked, single logout both ways).
//
// One command, with a throw-away Countersign beside it (a demo user, this app connected, bypass codes to sign in):
//
//   npx node examples/saml-app.ts
//
// Against your own Countersign: start the app with its metadata URL, give Countersign the app's metadata, sign in:
//
//   SAML_IDP_METADATA=https://mfa.example.org/saml/metadata npx node examples/saml-app.ts
//   curl -o saml-app-metadata.xml http://localhost:3000/metadata
//   countersign app add "Example SAML app" --type saml --metadata saml-app-metadata.xml --nameid email \
//     --attribute email=email --attribute name=realName
//
// Then open http://localhost:3000 (PORT changes it; COUNTERSIGN_PORT the demo Countersign's 8080). The app's key
// and certificate live in SAML_APP_KEY_DIR (default: a folder under the system's temporary folder), so the
// metadata Countersign imported stays valid across restarts. See docs/saml.md.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Profile, SAML } from '@node-saml/node-saml';
import { openCountersign } from '../src/app.ts';
import { buildConfig } from '../src/config.ts';
import { createUser } from '../src/core/admin/create-user.ts';
import { issueBypassCodes } from '../src/core/admin/issue-bypass-codes.ts';
import { secureRandom } from '../src/core/clock.ts';
import { createServiceProvider } from '../src/core/saml/service-providers.ts';
import { newKeyRing } from '../src/crypto/keyring.ts';
import { createSigningCredential } from '../src/saml/create-signing-credential.ts';
import { importSpMetadata } from '../src/saml/import-sp-metadata.ts';
import { createHttpServer } from '../src/server.ts';

const APP_PORT = Number(process.env.PORT ?? 3000);
const DEMO_PORT = Number(process.env.COUNTERSIGN_PORT ?? 8080);
const APP_URL = `http://localhost:${APP_PORT}`;
const ENTITY_ID = `${APP_URL}/metadata`;
const KEY_DIR = process.env.SAML_APP_KEY_DIR ?? join(tmpdir(), 'countersign-saml-app');

/** The app's signing key and certificate: read from KEY_DIR, made there (openssl) the first time. */
async function spCredential(): Promise<{ privateKeyPem: string; certificatePem: string }> {
  const [keyFile, certFile] = [join(KEY_DIR, 'sp.key'), join(KEY_DIR, 'sp.crt')];
  try {
    return {
      privateKeyPem: await readFile(keyFile, 'utf8'),
      certificatePem: await readFile(certFile, 'utf8'),
    };
  } catch {
    const made = await createSigningCredential('localhost', { bits: 2048 });
    await mkdir(KEY_DIR, { recursive: true, mode: 0o700 });
    await writeFile(keyFile, made.privateKeyPem, { mode: 0o600 });
    await writeFile(certFile, made.certificatePem);
    return made;
  }
}

/** What node-saml needs to know about the identity provider. */
interface Idp {
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  certificate: string;
}

/** Reads the IdP's values from its metadata (entity ID, Redirect SSO and SLO URLs, signing certificate). */
async function idpFromMetadata(url: string): Promise<Idp> {
  const xml = await (await fetch(url)).text();
  const attribute = (element: string, name: string) =>
    new RegExp(`<(?:md:)?${element}[^>]*Binding="[^"]*HTTP-Redirect"[^>]*${name}="([^"]+)"`).exec(xml)?.[1] ??
    new RegExp(`<(?:md:)?${element}[^>]*${name}="([^"]+)"[^>]*Binding="[^"]*HTTP-Redirect"`).exec(xml)?.[1];
  const entityId = /<(?:md:)?EntityDescriptor[^>]*entityID="([^"]+)"/.exec(xml)?.[1];
  const ssoUrl = attribute('SingleSignOnService', 'Location');
  const sloUrl = attribute('SingleLogoutService', 'Location');
  const certificate = /<(?:ds:)?X509Certificate>([^<]+)</.exec(xml)?.[1];
  if (!entityId || !ssoUrl || !sloUrl || !certificate) throw new Error(`${url} is not an IdP's metadata`);
  return { entityId, ssoUrl, sloUrl, certificate: certificate.replace(/\s+/g, '') };
}

/** Starts a Countersign on http://localhost:8080 (COUNTERSIGN_PORT) in a temporary folder, with a demo user and this app. */
async function demoCountersign(spMetadata: string): Promise<string> {
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
  });
  const { codes } = await issueBypassCodes(deps, 'demo', user, { count: 5, expiresInSeconds: null });
  // What `countersign app add "Example SAML app" --type saml --metadata … --nameid email --attribute …` does.
  const sp = importSpMetadata(spMetadata, {
    name: 'Example SAML app',
    nameId: { format: 'emailAddress' },
    attributes: [
      { name: 'email', source: 'email' },
      { name: 'name', source: 'realName' },
    ],
  });
  await createServiceProvider(deps, 'demo', { name: 'Example SAML app', sp });
  console.log(`Countersign is at ${url} (IdP metadata ${url}/saml/metadata).`);
  console.log(
    'Sign in as demo / demo-password, then use one of these single-use codes as the second factor:',
  );
  console.log(`  ${codes.join('  ')}`);
  return `${url}/saml/metadata`;
}

const credential = await spCredential();
const spSettings = {
  issuer: ENTITY_ID,
  callbackUrl: `${APP_URL}/acs`,
  logoutCallbackUrl: `${APP_URL}/slo`,
  privateKey: credential.privateKeyPem,
  publicCert: credential.certificatePem,
  signatureAlgorithm: 'sha256',
  digestAlgorithm: 'sha256',
  wantAssertionsSigned: true,
  wantAuthnResponseSigned: false,
} as const;

/** node-saml set up for `idp` (the IdP certificate is only read after the IdP is known). */
function serviceProvider(idp: Idp): SAML {
  return new SAML({
    ...spSettings,
    entryPoint: idp.ssoUrl,
    logoutUrl: idp.sloUrl,
    idpIssuer: idp.entityId,
    idpCert: idp.certificate,
    audience: ENTITY_ID,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  });
}

// The app's metadata is the same whichever IdP it trusts: make it with a placeholder IdP.
const metadata = new SAML({
  ...spSettings,
  entryPoint: `${APP_URL}/`,
  idpCert: credential.certificatePem,
}).generateServiceProviderMetadata(null, credential.certificatePem);
const idp = await idpFromMetadata(process.env.SAML_IDP_METADATA ?? (await demoCountersign(metadata)));
const saml = serviceProvider(idp);

interface Session {
  profile?: Profile;
}
const sessions = new Map<string, Session>();

function sessionOf(request: IncomingMessage, response: ServerResponse): Session {
  const id = /(?:^|;\s*)saml-app-session=([A-Za-z0-9_-]{43})/.exec(request.headers.cookie ?? '')?.[1];
  if (id && sessions.has(id)) return sessions.get(id)!;
  const fresh = randomBytes(32).toString('base64url');
  sessions.set(fresh, {});
  // Lax: the ACS is reached by Countersign's cross-site POST, where this cookie is not needed (the answer is).
  response.setHeader('set-cookie', `saml-app-session=${fresh}; Path=/; HttpOnly; SameSite=Lax`);
  return sessions.get(fresh)!;
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(response: ServerResponse, body: string, status = 200): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example SAML app</title></head><body>${body}</body></html>`,
  );
}

async function formOf(request: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 1_000_000) throw new Error('the form is too large');
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** The AuthnContextClassRef of the assertion (how the user signed in), for the home page. */
function authnContext(profile: Profile): string {
  return /AuthnContextClassRef>([^<]+)</.exec(profile.getAssertionXml?.() ?? '')?.[1] ?? '-';
}

/** Profiles between the ACS and the browser's next request, which carries the session cookie. */
const signedIn = new Map<string, Profile>();

// The session signed in at the IdP under each NameID, so an IdP's LogoutRequest can end it.
const byNameId = new Map<string, Set<Session>>();

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', APP_URL);
  try {
    if (url.pathname === '/metadata') {
      response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata);
      return;
    }
    if (url.pathname === '/acs' && request.method === 'POST') {
      // The session cookie may be missing on this cross-site POST: the user's session is picked up on '/'.
      const { profile } = await saml.validatePostResponseAsync(await formOf(request));
      if (!profile) return page(response, '<p>Not signed in. <a href="/">Back</a></p>', 400);
      const ticket = randomBytes(32).toString('base64url');
      signedIn.set(ticket, profile);
      response.writeHead(303, { location: `/welcome?ticket=${ticket}` }).end();
      return;
    }
    const session = sessionOf(request, response);
    if (url.pathname === '/welcome') {
      const profile = signedIn.get(url.searchParams.get('ticket') ?? '');
      signedIn.delete(url.searchParams.get('ticket') ?? '');
      if (profile) {
        session.profile = profile;
        const set = byNameId.get(profile.nameID) ?? new Set();
        byNameId.set(profile.nameID, set.add(session));
      }
      response.writeHead(303, { location: '/' }).end();
    } else if (url.pathname === '/login') {
      response.writeHead(302, { location: await saml.getAuthorizeUrlAsync('', undefined, {}) }).end();
    } else if (url.pathname === '/logout' && session.profile) {
      const target = await saml.getLogoutUrlAsync(session.profile, '', {});
      session.profile = undefined;
      response.writeHead(302, { location: target }).end();
    } else if (url.pathname === '/slo') {
      // Countersign's LogoutResponse (we asked), or its LogoutRequest (the user signed out elsewhere), on the
      // Redirect binding or, as our metadata asks, HTTP-POST.
      const form = request.method === 'POST' ? await formOf(request) : null;
      const isRequest = (form ?? Object.fromEntries(url.searchParams)).SAMLRequest !== undefined;
      const { profile, loggedOut } = form
        ? isRequest
          ? await saml.validatePostRequestAsync(form)
          : await saml.validatePostResponseAsync(form)
        : await saml.validateRedirectAsync(Object.fromEntries(url.searchParams), url.search.slice(1));
      if (isRequest && profile) {
        for (const ended of byNameId.get(profile.nameID) ?? []) ended.profile = undefined;
        byNameId.delete(profile.nameID);
        const relayState = form?.RelayState ?? url.searchParams.get('RelayState') ?? '';
        const answer = await saml.getLogoutResponseUrlAsync(profile, relayState, {}, true);
        response.writeHead(302, { location: answer }).end();
        return;
      }
      page(response, `<p>${loggedOut ? 'You are signed out.' : 'Signed out here.'} <a href="/">Home</a></p>`);
    } else if (session.profile) {
      const { profile } = session;
      page(
        response,
        `<h1>Hello, ${escapeHtml(profile.name ?? profile.nameID)}</h1>
        <p>Signed in as <code>${escapeHtml(profile.nameID)}</code> (e-mail ${escapeHtml(profile.email ?? '-')}),
        authentication context <code>${escapeHtml(authnContext(profile))}</code>.</p>
        <p><a href="/logout">Sign out</a></p>`,
      );
    } else {
      page(response, '<h1>Example SAML app</h1><p><a href="/login">Sign in with Countersign</a></p>');
    }
  } catch (error) {
    response
      .writeHead(500, { 'content-type': 'text/plain' })
      .end(`Sign-in failed: ${(error as Error).message}`);
  }
}).listen(APP_PORT, '127.0.0.1', () => console.log(`Example SAML app: ${APP_URL}`));
