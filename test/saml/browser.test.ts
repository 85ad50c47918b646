// Chromium end to end with SAML: an SP-initiated sign-in through our sign-in page and the prompt with a push approved
// on the phone (the device client), node-saml checking the assertion at the SP's ACS; then the remembered browser
// and the SSO session carrying from SAML to OIDC and from OIDC to SAML, in one browser; a SAML SP's sign-out reaching
// the OpenID client over the back channel, and an OpenID client's logout reaching the SAML SP through the browser.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { User } from '../../src/core/model.ts';
import { createServiceProvider } from '../../src/core/saml/service-providers.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient, type DeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { AUTHN_CONTEXT, NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { defineSp } from '../../src/saml/sp-record.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import {
  type BackchannelInbox,
  backchannelInbox,
  type OidcWorld,
  relyingParty,
  startOidcWorld,
} from '../oidc/harness.ts';
import { assertAxeClean, launchChromium } from '../prompt/browser.ts';
import { buildPromptPage } from '../prompt/harness.ts';
import { createTestUser } from '../support/server.ts';
import { rsaPair } from './fixture.ts';

const missing = chromiumMissing();
const PASSWORD = 'correct horse battery';

/** A SAML service provider's little web server: /login starts a sign-in, /acs checks the Response with node-saml. */
interface SpSite {
  base: string;
  entityId: string;
  /** The profiles node-saml accepted at the ACS, in order. */
  profiles: Profile[];
  /** The NameIDs our LogoutRequests signed out, in order. */
  loggedOut: string[];
  saml: SAML;
  close(): Promise<void>;
}

async function spSite(world: OidcWorld, name: string): Promise<SpSite> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const entityId = `${base}/metadata`;
  const pair = await rsaPair('payroll.saml.test');
  await createServiceProvider(world.deps, 'test', {
    name,
    sp: defineSp({
      entityId,
      acs: [`${base}/acs`],
      slo: [{ binding: 'redirect', url: `${base}/slo`, responseUrl: `${base}/slo` }],
      certificates: [pair.certificatePem],
      nameId: { format: 'emailAddress' },
      authnContext: { secondFactor: AUTHN_CONTEXT.microsoftMultipleAuthn },
      wantAuthnRequestsSigned: true,
    }),
  });
  const xml = await (await fetch(`${world.url}/saml/metadata`)).text();
  const cert = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(xml)?.[1];
  const saml = new SAML({
    entryPoint: `${world.url}/saml/sso`,
    logoutUrl: `${world.url}/saml/slo`,
    issuer: entityId,
    callbackUrl: `${base}/acs`,
    audience: entityId,
    idpCert: String(cert),
    idpIssuer: `${world.url}/saml/metadata`,
    privateKey: pair.privateKeyPem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: NAME_ID_FORMAT.emailAddress,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
  });
  const profiles: Profile[] = [];
  const loggedOut: string[] = [];
  const html = (body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head><body><main>${body}</main></body></html>`;
  server.on('request', async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    try {
      if (url.pathname === '/login') {
        response.writeHead(302, { location: await saml.getAuthorizeUrlAsync('', undefined, {}) }).end();
      } else if (url.pathname === '/acs' && request.method === 'POST') {
        let body = '';
        for await (const chunk of request) body += chunk;
        const { profile } = await saml.validatePostResponseAsync(
          Object.fromEntries(new URLSearchParams(body)),
        );
        assert.ok(profile);
        profiles.push(profile);
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(html(`<h1>Signed in to ${name} as ${profile.nameID}</h1>`));
      } else if (url.pathname === '/logout') {
        const location = await saml.getLogoutUrlAsync(profiles.at(-1)!, '', {});
        response.writeHead(302, { location }).end();
      } else if (url.pathname === '/slo' && url.searchParams.has('SAMLRequest')) {
        // Our LogoutRequest (the user signed out elsewhere): checked, recorded, answered.
        const query = Object.fromEntries(url.searchParams);
        const { profile } = await saml.validateRedirectAsync(query, url.search.slice(1));
        assert.ok(profile);
        loggedOut.push(profile.nameID);
        const location = await saml.getLogoutResponseUrlAsync(profile, query.RelayState ?? '', {}, true);
        response.writeHead(302, { location }).end();
      } else if (url.pathname === '/slo') {
        const { loggedOut } = await saml.validateRedirectAsync(
          Object.fromEntries(url.searchParams),
          url.search.slice(1),
        );
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(html(`<h1>${loggedOut ? `Signed out of ${name}` : 'Not signed out'}</h1>`));
      } else {
        response.writeHead(404).end();
      }
    } catch (error) {
      response
        .writeHead(400, { 'content-type': 'text/plain' })
        .end(`SP refused: ${(error as Error).message}`);
    }
  });
  return {
    base,
    entityId,
    profiles,
    loggedOut,
    saml,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('SAML in Chromium', { skip: missing }, () => {
  let world: OidcWorld;
  let browser: Browser;
  let site: BackchannelInbox;
  const sites: SpSite[] = [];
  before(async () => {
    buildPromptPage();
    world = await startOidcWorld();
    browser = await launchChromium();
    site = await backchannelInbox();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    for (const sp of sites) await sp.close();
    await world?.close();
  });

  /** A user with an activated phone (the device client plays the Authenticator app). */
  const userWithPhone = async (name: string): Promise<{ user: User; phone: DeviceClient }> => {
    const user = await createTestUser(world.deps, name, {
      password: PASSWORD,
      email: `${name}@example.test`,
    });
    const { code } = await createActivation(world.deps, 'test', user);
    const account = await activateDevice(activationLink(world.url, code), { name: `${name}’s phone` });
    return { user, phone: createDeviceClient(account) };
  };

  /** On the prompt: remember this browser, send a push, approve it on the phone with the number shown. */
  const approvePush = async (page: Page, phone: DeviceClient) => {
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await page.getByLabel('Remember me for 12 hours on this browser').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    const shown =
      /([0-9]+)\s*$/.exec((await page.locator('.verification-code').textContent()) ?? '')?.[1] ?? '';
    const [pending] = await phone.pending();
    assert.ok(pending, 'the phone has the request');
    assert.equal(await phone.approve(pending.txid, shown), 'allow');
  };

  it('SAML sign-in with a push; the remembered browser and the SSO session carry to an OIDC application, and a SAML sign-out reaches it', async () => {
    const payroll = await spSite(world, 'Payroll');
    sites.push(payroll);
    const wiki = await relyingParty(world, {
      name: 'Wiki',
      redirectUri: `${site.base}/wiki/callback`,
      settings: { backchannelLogoutUri: site.url },
    });
    const { user, phone } = await userWithPhone('ines');
    const page = await (await browser.newContext()).newPage();

    await page.goto(`${payroll.base}/login`);
    await page.getByRole('heading', { name: 'Sign in to Payroll' }).waitFor();
    await assertAxeClean(page, 'the SAML sign-in page');
    await page.getByLabel('Username').fill('ines');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await approvePush(page, phone);
    await page.getByRole('heading', { name: 'Signed in to Payroll as ines@example.test' }).waitFor();
    const [profile] = payroll.profiles;
    assert.equal(profile?.nameID, 'ines@example.test');
    assert.match(String(profile?.getAssertionXml?.()), /AuthnContextClassRef>[^<]*multipleauthn</);

    // OIDC next: no password (the SSO session), no push (the remembered browser).
    const first = await wiki.begin();
    await page.goto(first.url.href);
    await page.waitForURL(/\/wiki\/callback\?/);
    const claims = (await wiki.finish(new URL(page.url()), first)).claims();
    assert.equal(claims?.sub, user.id);
    assert.deepEqual(claims?.amr, ['mfa', 'pwd', 'swk']);

    // Signing out at Payroll (its LogoutRequest) ends the SSO session; the wiki is told over the back channel.
    const told = site.tokens.length;
    await page.goto(`${payroll.base}/logout`);
    await page.getByRole('heading', { name: 'Signed out of Payroll' }).waitFor();
    assert.equal(site.tokens.length, told + 1, 'the wiki got a logout token');
    await page.goto((await wiki.begin()).url.href);
    await page.getByRole('heading', { name: 'Sign in to Wiki' }).waitFor();
  });

  it('OIDC sign-in with a push; the remembered browser and the SSO session carry to a SAML application; the OIDC logout signs the SAML one out', async () => {
    const intranet = await spSite(world, 'Intranet');
    sites.push(intranet);
    const crm = await relyingParty(world, {
      name: 'CRM',
      redirectUri: `${site.base}/crm/callback`,
      settings: { postLogoutRedirectUris: [`${site.base}/crm/`] },
    });
    const { phone } = await userWithPhone('odin');
    const page = await (await browser.newContext()).newPage();

    const first = await crm.begin();
    await page.goto(first.url.href);
    await page.getByRole('heading', { name: 'Sign in to CRM' }).waitFor();
    await page.getByLabel('Username').fill('odin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await approvePush(page, phone);
    await page.waitForURL(/\/crm\/callback\?/);
    const tokens = await crm.finish(new URL(page.url()), first);
    assert.deepEqual(tokens.claims()?.amr, ['mfa', 'pwd', 'swk']);

    // SAML next: straight to the SP's ACS through the auto-submitted form, nothing asked.
    await page.goto(`${intranet.base}/login`);
    await page.getByRole('heading', { name: 'Signed in to Intranet as odin@example.test' }).waitFor();
    assert.equal(intranet.profiles.length, 1);
    assert.match(String(intranet.profiles[0]?.getAssertionXml?.()), /multipleauthn/);
    assert.equal((await phone.pending()).length, 0, 'no second push');

    // Signing out of the CRM everywhere: the browser visits the intranet's SLO endpoint with our LogoutRequest,
    // the intranet answers, and the browser lands on the CRM's post-logout page.
    await page.goto(
      client
        .buildEndSessionUrl(crm.config, {
          id_token_hint: String(tokens.id_token),
          post_logout_redirect_uri: `${site.base}/crm/`,
        })
        .toString(),
    );
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${site.base}/crm/`);
    assert.deepEqual(intranet.loggedOut, ['odin@example.test'], 'the intranet was told, through the browser');
    await page.goto(`${intranet.base}/login`);
    await page.getByRole('heading', { name: 'Sign in to Intranet' }).waitFor();
  });
});
