// The SAML front over real HTTP with node-saml as the service provider: SP-initiated sign-in on the Redirect and POST
// bindings through the sign-in page and the prompt, IdP-initiated sign-in, a tampered request refused with a page
// (nothing for the ACS), single logout across two SPs, and the OIDC SSO session carrying to a SAML sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { createServiceProvider } from '../../src/core/saml/service-providers.ts';
import { loadSsoSessionById } from '../../src/core/sso/sso-session.ts';
import { SAML_COOKIE } from '../../src/fronts/saml/pending-request.ts';
import { NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { defineSp } from '../../src/saml/sp-record.ts';
import type { Agent, Landing } from '../oidc/agent.ts';
import {
  createAgent,
  drivePrompt,
  type OidcWorld,
  passcode,
  relyingParty,
  signIn,
  startOidcWorld,
} from '../oidc/harness.ts';
import { createTestDatabase, type TestDatabase, testPgUrl } from '../store/pg-test-database.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { rsaPair } from './fixture.ts';
import { postedFields } from './front-tools.ts';

const PASSWORD = 'correct horse battery';
const pgServer = testPgUrl();

interface TestSp {
  entityId: string;
  acs: string;
  slo: string;
  saml(options?: Partial<SamlConfig>): SAML;
}

describe('SAML front with node-saml as the service provider', { concurrency: false }, () => {
  let world: OidcWorld;
  let idpCert: string;
  let database: TestDatabase | undefined;
  let count = 0;

  // On PostgreSQL when COUNTERSIGN_TEST_PG is set (a database of its own), else SQLite.
  before(async () => {
    database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
    world = await startOidcWorld(database ? { databaseUrl: database.url } : {});
    const metadata = await fetch(`${world.url}/saml/metadata`);
    assert.equal(metadata.status, 200);
    const xml = await metadata.text();
    const body = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(xml)?.[1];
    assert.ok(body, 'the metadata publishes the signing certificate');
    idpCert = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  });
  after(async () => {
    await world?.close();
    await database?.drop();
  });

  /** Connects a new SP (like `countersign app add --type saml`), signing its requests with its own key. */
  const connectSp = async (policy?: object): Promise<TestSp> => {
    const n = ++count;
    const entityId = `https://sp${n}.node-saml.test/metadata`;
    const acs = `http://127.0.0.1:9/sp${n}/acs`;
    const slo = `http://127.0.0.1:9/sp${n}/slo`;
    const pair = await rsaPair(`sp${n}.node-saml.test`);
    await createServiceProvider(world.deps, 'test', {
      name: `Service provider ${n}`,
      ...(policy && { policy }),
      sp: defineSp({
        entityId,
        acs: [acs],
        slo: [{ binding: 'redirect', url: slo, responseUrl: slo }],
        certificates: [pair.certificatePem],
        nameId: { format: 'emailAddress' },
        attributes: [{ name: 'email', source: 'email' }],
        wantAuthnRequestsSigned: true,
      }),
    });
    const saml = (options: Partial<SamlConfig> = {}) =>
      new SAML({
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
        ...options,
      });
    return { entityId, acs, slo, saml };
  };

  const userWithTotp = async (name: string) => {
    const user = await createTestUser(world.deps, name, {
      password: PASSWORD,
      email: `${name}@example.test`,
    });
    const totp = await addTestTotp(world.deps, user);
    return { user, code: () => totp.codeAt(Date.now()) };
  };

  /** From our sign-in page (or straight from the prompt) to the auto-submitted POST page. */
  const finishSignIn = async (
    agent: Agent,
    landing: Landing,
    input: { username: string; factor: Parameters<typeof drivePrompt>[2]; remember?: boolean },
  ): Promise<Landing> => {
    let at = landing;
    if (/^\/saml\/sign-in\/[^/]+$/.test(at.url.pathname)) {
      assert.equal(at.status, 200, at.body);
      at = await agent.submit(`${at.url.pathname}/password`, {
        username: input.username,
        password: PASSWORD,
      });
    }
    const back = await drivePrompt(agent, at, input.factor, { remember: input.remember ?? false });
    assert.match(back.url.pathname, /^\/saml\/sign-in\/[^/]+\/done$/);
    assert.equal(back.status, 200, back.body);
    return back;
  };

  it('signs in on the Redirect binding: node-saml validates our Response, audited with protocol saml and the SP', async () => {
    const sp = await connectSp();
    const { user, code } = await userWithTotp('ursula');
    const saml = sp.saml();
    const agent = createAgent(world.url);
    const landing = await agent.open(await saml.getAuthorizeUrlAsync('relay-1', undefined, {}));
    const page = await finishSignIn(agent, landing, { username: 'ursula', factor: passcode(code) });
    // The page posts to the SP's registered ACS with a script allowed only by its nonce.
    const { action, fields } = postedFields(page.body);
    assert.equal(action, sp.acs);
    assert.equal(fields.RelayState, 'relay-1');
    assert.match(page.body, /<script nonce="[A-Za-z0-9_-]+">/);
    assert.match(page.body, /<button type="submit" class="primary">Continue<\/button>/);
    const validated = await saml.validatePostResponseAsync(fields);
    assert.equal(validated.profile?.nameID, 'ursula@example.test');
    assert.equal(validated.profile?.email, 'ursula@example.test');
    assert.ok(validated.profile?.sessionIndex);
    const audit = await world.deps.store.audit.tail({ limit: 20, kind: 'auth' });
    const entry = audit.find((e) => e.action === 'sso.sign-in' && e.userId === user.id);
    assert.ok(entry, 'the sign-in is audited');
    assert.equal(entry.result, 'success');
    assert.equal((entry.detail as Record<string, unknown>).protocol, 'saml');
    assert.equal((entry.detail as Record<string, unknown>).rp, sp.entityId);
  });

  it('answers a cancel with AuthnFailed in a POST page whose CSP allows only its nonce and a form to the ACS', async () => {
    const sp = await connectSp();
    const saml = sp.saml();
    const agent = createAgent(world.url);
    const landing = await agent.open(await saml.getAuthorizeUrlAsync('relay-c', undefined, {}));
    assert.match(landing.body, /Sign in to Service provider/);
    // Posted by hand to read the answer's headers (the agent returns bodies only).
    const response = await fetch(new URL(`${landing.url.pathname}/cancel`, world.url), {
      method: 'POST',
      headers: {
        origin: new URL(world.url).origin,
        cookie: `${SAML_COOKIE}=${agent.cookie(SAML_COOKIE)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    assert.equal(response.status, 200);
    const html = await response.text();
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    assert.ok(nonce);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.match(policy, /form-action http:\/\/127\.0\.0\.1:9(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    const { action, fields } = postedFields(html);
    assert.equal(action, sp.acs);
    await assert.rejects(saml.validatePostResponseAsync(fields), /Responder error: The user cancelled/);
    assert.match(Buffer.from(fields.SAMLResponse!, 'base64').toString('utf8'), /status:AuthnFailed/);
    // Answered once: the same request cannot be answered again.
    const again = await agent.open(landing.url);
    assert.equal(again.status, 400);
  });

  it('an IdP-initiated sign-in cancelled tells the person in plain words, not the status message meant for the SP', async () => {
    const sp = await connectSp();
    const agent = createAgent(world.url);
    const landing = await agent.open(`/saml/idp-initiated?sp=${encodeURIComponent(sp.entityId)}`);
    assert.match(landing.body, /Sign in to Service provider/);
    const response = await fetch(new URL(`${landing.url.pathname}/cancel`, world.url), {
      method: 'POST',
      headers: {
        origin: new URL(world.url).origin,
        cookie: `${SAML_COOKIE}=${agent.cookie(SAML_COOKIE)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /You were not signed in to Service provider/);
    assert.match(html, /The sign-in did not finish\./);
    assert.doesNotMatch(html, /The user cancelled/);
  });

  it('signs in on the POST binding (an SP form posted to the SSO endpoint)', async () => {
    const sp = await connectSp();
    const { code } = await userWithTotp('quinn');
    const saml = sp.saml({ authnRequestBinding: 'HTTP-POST', skipRequestCompression: true });
    const agent = createAgent(world.url);
    const form = await saml.getAuthorizeFormAsync('relay-post');
    const request = /name="SAMLRequest" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(request);
    const landing = await agent.submit('/saml/sso', { SAMLRequest: request, RelayState: 'relay-post' });
    const page = await finishSignIn(agent, landing, { username: 'quinn', factor: passcode(code) });
    const { fields } = postedFields(page.body);
    const validated = await saml.validatePostResponseAsync(fields);
    assert.equal(validated.profile?.nameID, 'quinn@example.test');
  });

  it('signs in IdP-initiated (an unsolicited Response to the default ACS)', async () => {
    const sp = await connectSp();
    const { code } = await userWithTotp('rosa');
    const agent = createAgent(world.url);
    const landing = await agent.open(
      `/saml/idp-initiated?sp=${encodeURIComponent(sp.entityId)}&RelayState=home`,
    );
    const page = await finishSignIn(agent, landing, { username: 'rosa', factor: passcode(code) });
    const { action, fields } = postedFields(page.body);
    assert.equal(action, sp.acs);
    assert.equal(fields.RelayState, 'home');
    const validated = await sp
      .saml({ validateInResponseTo: ValidateInResponseTo.never })
      .validatePostResponseAsync(fields);
    assert.equal(validated.profile?.nameID, 'rosa@example.test');
    assert.equal(validated.profile?.inResponseTo, undefined);
  });

  it('refuses a tampered request with a 400 page and sends nothing toward the ACS', async () => {
    const sp = await connectSp();
    const url = new URL(await sp.saml().getAuthorizeUrlAsync('relay', undefined, {}));
    // Another RelayState than the one signed: the signature over the raw query no longer holds.
    url.searchParams.set('RelayState', 'elsewhere');
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const body = await response.text();
    // Plain words for the person; the protocol's reason is the operator's (logged, see refusal-page.ts).
    assert.match(body, /This sign-in link is not valid/);
    assert.match(body, /a sign-in request we cannot accept/);
    assert.doesNotMatch(body, /signature/i);
    assert.doesNotMatch(body, /SAMLResponse|<form/);
    assert.doesNotMatch(body, new RegExp(sp.acs.replace(/[/.:]/g, '\\$&')));
    const unknown = await fetch(`${world.url}/saml/idp-initiated?sp=https%3A%2F%2Fnobody.test`);
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /not set up to sign in with us/);
  });

  it('single logout from one SP ends the SSO session, tells the other SP, then answers the first', async () => {
    const first = await connectSp();
    const second = await connectSp();
    const { user, code } = await userWithTotp('sven');
    const agent = createAgent(world.url);
    const firstSaml = first.saml();
    let landing = await agent.open(await firstSaml.getAuthorizeUrlAsync('', undefined, {}));
    let page = await finishSignIn(agent, landing, {
      username: 'sven',
      factor: passcode(code),
      remember: true,
    });
    const firstProfile = (await firstSaml.validatePostResponseAsync(postedFields(page.body).fields)).profile;
    assert.ok(firstProfile);
    // The second SP rides on the SSO session (no password) and the remembered browser (no factor).
    const secondSaml = second.saml();
    landing = await agent.open(await secondSaml.getAuthorizeUrlAsync('', undefined, {}));
    page = await finishSignIn(agent, landing, { username: 'sven', factor: null });
    const secondProfile = (await secondSaml.validatePostResponseAsync(postedFields(page.body).fields))
      .profile;
    assert.ok(secondProfile);
    const sessionId = String(firstProfile.sessionIndex).split('.')[0]!;
    assert.ok(await loadSsoSessionById(world.deps, sessionId), 'one SSO session');

    // The first SP asks to log out (a signed Redirect LogoutRequest).
    const toSecond = await agent.open(await firstSaml.getLogoutUrlAsync(firstProfile, 'bye', {}));
    assert.equal(toSecond.url.origin + toSecond.url.pathname, second.slo, 'the browser goes to the other SP');
    assert.equal(await loadSsoSessionById(world.deps, sessionId), null, 'the SSO session ended');
    const query = Object.fromEntries(toSecond.url.searchParams);
    const told = await secondSaml.validateRedirectAsync(query, toSecond.url.search.slice(1));
    assert.equal(told.loggedOut, true);
    assert.equal(told.profile?.nameID, 'sven@example.test');
    // The second SP answers; we then answer the first.
    const answer = await secondSaml.getLogoutResponseUrlAsync(told.profile!, query.RelayState!, {}, true);
    const toFirst = await agent.open(answer);
    assert.equal(toFirst.url.origin + toFirst.url.pathname, first.slo);
    const done = await firstSaml.validateRedirectAsync(
      Object.fromEntries(toFirst.url.searchParams),
      toFirst.url.search.slice(1),
    );
    assert.equal(done.loggedOut, true);
    assert.equal(toFirst.url.searchParams.get('RelayState'), 'bye');
    const audit = await world.deps.store.audit.tail({ limit: 20, kind: 'auth' });
    assert.ok(audit.some((e) => e.action === 'sso.sign-out' && e.userId === user.id));
    // Signed out: the next sign-in asks for the password again.
    landing = await agent.open(await firstSaml.getAuthorizeUrlAsync('', undefined, {}));
    assert.match(landing.url.pathname, /^\/saml\/sign-in\/[^/]+$/);
    assert.match(landing.body, /type="password"/);
  });

  it('carries the SSO session of an OIDC sign-in to a SAML one without a second factor', async () => {
    const rp = await relyingParty(world);
    const sp = await connectSp();
    const { user, code } = await userWithTotp('tove');
    const agent = createAgent(world.url);
    const authorization = await rp.begin();
    const callback = await signIn(agent, authorization, {
      username: 'tove',
      password: PASSWORD,
      factor: passcode(code),
      remember: true,
    });
    const tokens = await rp.finish(callback.url, authorization);
    assert.equal(tokens.claims()?.sub, user.id);
    const saml = sp.saml();
    const landing = await agent.open(await saml.getAuthorizeUrlAsync('', undefined, {}));
    assert.match(landing.url.pathname, /^\/prompt\//, 'no sign-in page: the SSO session covers the password');
    const page = await finishSignIn(agent, landing, { username: 'tove', factor: null });
    const validated = await saml.validatePostResponseAsync(postedFields(page.body).fields);
    assert.equal(validated.profile?.nameID, 'tove@example.test');
    assert.match(page.body, /Signing you in to/);
  });
});
