// Issue 12, "one look across every page": every page carries the organization's name and logo, a favicon and a
// tab title naming the organization; error pages speak plain words while the protocol detail goes to the log; the
// portal's design-review fixes hold; and axe-core finds nothing on any page, in light and in dark mode.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { buildConfig, ConfigError } from '../../src/config.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { User } from '../../src/core/model.ts';
import { chromiumMissing, launchChromium } from '../browser/support/browser.ts';
import { type OidcWorld, relyingParty } from '../oidc/harness.ts';
import { assertAxeClean } from '../prompt/browser.ts';
import { type PromptWorld, startPromptWorld } from '../prompt/harness.ts';
import { addTestTotp, createTestUser, startTestServer, type TestTotp } from '../support/server.ts';

const ORGANIZATION = 'Example University';
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#7a1f2b"/></svg>`;

let world: PromptWorld;
let dir: string;
let ada: User;
let adaTotp: TestTotp;
const logLines: string[] = [];

/** The log lines (parsed) whose message is `msg`. */
function logged(msg: string): Record<string, unknown>[] {
  return logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-one-look-'));
  const logoFile = join(dir, 'logo.svg');
  await writeFile(logoFile, LOGO);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  world = await startPromptWorld({ config: { organization: ORGANIZATION, logo_file: logoFile }, logger });
  ada = await createTestUser(world.deps, 'ada', { password: 'correct horse 1' });
  adaTotp = await addTestTotp(world.deps, ada);
});
after(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('branding served to every page', () => {
  it('names the organization and its logo; serves the logo sandboxed, the favicon and the page stylesheet', async () => {
    const branding = await fetch(`${world.url}/branding`);
    assert.equal(branding.status, 200);
    assert.deepEqual(await branding.json(), { organization: ORGANIZATION, logo: '/branding/logo' });

    const logo = await fetch(`${world.url}/branding/logo`);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
    // Opened on its own, an SVG could script: it runs sandboxed, with nothing allowed to load.
    assert.match(logo.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
    assert.equal(logo.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await logo.text(), LOGO);

    const favicon = await fetch(`${world.url}/favicon.svg`);
    assert.equal(favicon.status, 200);
    assert.equal(favicon.headers.get('content-type'), 'image/svg+xml');
    const ico = await fetch(`${world.url}/favicon.ico`, { redirect: 'manual' });
    assert.equal(ico.status, 301);
    assert.equal(ico.headers.get('location'), '/favicon.svg');

    const css = await (await fetch(`${world.url}/branding/page.css`)).text();
    assert.match(css, /--space-4/, 'the design system tokens');
    assert.match(css, /prefers-color-scheme: dark/, 'dark values');
    assert.match(css, /\.site-header/, 'the shared header');
  });
});

describe('branding without a logo', () => {
  it('names the organization alone: no logo address, no image in the header, the logo path a 404', async () => {
    const server = await startTestServer({ config: { organization: 'Plain College' } });
    try {
      assert.deepEqual(await (await fetch(`${server.url}/branding`)).json(), {
        organization: 'Plain College',
        logo: null,
      });
      assert.equal((await fetch(`${server.url}/branding/logo`)).status, 404);
      const html = await (await fetch(`${server.url}/saml/idp-initiated?sp=x`)).text();
      assert.match(html, /<p class="site-name">Plain College<\/p>/);
      assert.doesNotMatch(html, /<img/);
    } finally {
      await server.close();
    }
  });

  it('refuses a logo_file that is not an image the pages can show, naming the option', () => {
    assert.throws(
      () => buildConfig(undefined, {}, { logo_file: '/etc/countersign/logo.gif' }),
      (error: unknown) => error instanceof ConfigError && error.errors.some((e) => e.includes('logo_file')),
    );
  });
});

describe('error pages speak plain words; the detail goes to the log', () => {
  /** The page's text without tags, after asserting the shared header, favicon and tab title. */
  async function pageText(response: Response, title: string): Promise<string> {
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, new RegExp(`<title>${title} — ${ORGANIZATION}</title>`));
    assert.match(html, /<header class="site-header">/);
    assert.match(html, /<img class="site-logo" src="\/branding\/logo" alt="">/);
    assert.match(html, new RegExp(`<p class="site-name">${ORGANIZATION}</p>`));
    assert.match(html, /<link rel="icon" href="\/favicon.svg"/);
    return html.replace(/<[^>]+>/g, ' ');
  }

  it('the Universal Prompt: a request JWT for another audience is "a sign-in link that is not valid"', async () => {
    const response = await fetch(world.authorizeUrl('ada', { claims: { aud: 'https://elsewhere.example' } }));
    assert.equal(response.status, 400);
    const text = await pageText(response, 'This sign-in link is not valid');
    assert.match(text, /Go back to the application and try again/);
    assert.doesNotMatch(text, /JWT|claim|aud\b|signature/i);
    const entries = logged('universal prompt request refused');
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.code, 'AUTHORIZE_REQUEST_INVALID');
    assert.match(String(entries[0]!.detail), /JWT/);
  });

  it('OpenID Connect: an unknown client is "not connected", not invalid_client', async () => {
    const query = new URLSearchParams({
      client_id: 'nobody',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'https://app.example/callback',
    });
    const response = await fetch(`${world.url}/oidc/authorize?${query}`);
    assert.equal(response.status, 400);
    const text = await pageText(response, 'This application is not connected');
    assert.match(text, /not set up to sign in with us/);
    assert.doesNotMatch(text, /invalid_client|client_id|OAuth/i);
    const entries = logged('OpenID sign-in request refused');
    assert.ok(
      entries.some((entry) => entry.error === 'invalid_client'),
      JSON.stringify(entries),
    );
  });

  it('SAML: a request from an unknown service provider is "not set up", its reason logged', async () => {
    const response = await fetch(
      `${world.url}/saml/idp-initiated?sp=${encodeURIComponent('https://nobody.test')}`,
    );
    assert.equal(response.status, 400);
    const text = await pageText(response, 'This sign-in link is not valid');
    assert.match(text, /not set up to sign in with us/);
    assert.doesNotMatch(text, /issuer|SAML|entity/i);
    const entries = logged('saml message refused');
    assert.ok(
      entries.some((entry) => entry.reason === 'unknown_issuer'),
      JSON.stringify(entries),
    );
  });

  it('a form page refusing a request shows the registry words without the schema detail', async () => {
    // A JSON body where the form takes only form fields: Fastify's words ("Unsupported Media Type") stay in the log.
    const response = await fetch(`${world.url}/oidc/interaction/some-id/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: world.url },
      body: '{}',
    });
    assert.equal(response.status, 415);
    const text = await pageText(response, 'This sign-in link is not valid');
    assert.match(text, /Go back to the application and try again/);
    assert.doesNotMatch(text, /Media Type|application\/json|content-type/i);
    const entries = logged('sign-in request refused');
    assert.ok(
      entries.some((entry) => /Media Type/i.test(String(entry.detail))),
      JSON.stringify(entries),
    );
  });
});

/** The prompt world seen as the OIDC harness's world (the same server, its provider under /oidc). */
function asOidcWorld(): OidcWorld {
  return {
    url: world.url,
    issuer: `${world.url}/oidc`,
    deps: world.deps,
    countersign: world.countersign,
    http: world.http,
  } as OidcWorld;
}

const missing = chromiumMissing();

describe('every page in Chromium, light and dark', { skip: missing }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function newPage(): Promise<Page> {
    return (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
  }

  /** The shared header (name and a loaded logo), the favicon and, unless told otherwise, the tab title. */
  async function assertBranded(page: Page, where: string, titled = true): Promise<void> {
    await page.locator('.site-header .site-name', { hasText: ORGANIZATION }).waitFor();
    // The header can be in place before its image has arrived: wait for the image itself (a broken one still
    // ends with no width).
    const logoWidth = await page.locator('.site-header img.site-logo').evaluate(async (element) => {
      const img = element as HTMLImageElement;
      await img.decode().catch(() => {});
      return img.naturalWidth;
    });
    assert.ok(logoWidth > 0, `${where}: the logo loads`);
    assert.equal(await page.locator('link[rel="icon"]').count(), 1, `${where}: one favicon`);
    if (titled) assert.match(await page.title(), new RegExp(` — ${ORGANIZATION}$`), `${where}: tab title`);
  }

  /** Branding, then axe in both colour schemes. */
  async function checkPage(page: Page, where: string, titled = true): Promise<void> {
    await assertBranded(page, where, titled);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAxeClean(page, `${where} (${colorScheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('the server-rendered pages: Universal Prompt, OIDC and SAML errors, the SSO sign-in page', async () => {
    const page = await newPage();
    await page.goto(world.authorizeUrl('ada', { claims: { aud: 'https://elsewhere.example' } }));
    await page.getByRole('heading', { level: 1, name: 'This sign-in link is not valid' }).waitFor();
    await checkPage(page, 'the Universal Prompt error page');

    await page.goto(`${world.url}/oidc/authorize?client_id=nobody&response_type=code&scope=openid`);
    await page.getByRole('heading', { level: 1, name: 'This application is not connected' }).waitFor();
    await checkPage(page, 'the OIDC error page');

    await page.goto(`${world.url}/saml/idp-initiated?sp=${encodeURIComponent('https://nobody.test')}`);
    await page.getByRole('heading', { level: 1, name: 'This sign-in link is not valid' }).waitFor();
    await checkPage(page, 'the SAML refusal page');

    const wiki = await relyingParty(asOidcWorld(), { name: 'Wiki' });
    await page.goto((await wiki.begin()).url.href);
    await page.getByRole('heading', { level: 1, name: 'Sign in to Wiki' }).waitFor();
    await checkPage(page, 'the SSO sign-in page');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    await checkPage(page, 'the SSO sign-in page with its error');
    await page.context().close();
  });

  it('the prompt', async () => {
    const page = await newPage();
    await page.goto(world.authorizeUrl('ada'));
    await page.getByRole('heading', { level: 1, name: 'Confirm it’s you' }).waitFor();
    assert.equal(await page.title(), `Sign in — ${ORGANIZATION}`);
    await checkPage(page, 'the prompt');
    await page.context().close();
  });

  it('the portal: sign-in, step-up with a way out, home; the design-review fixes', async () => {
    const page = await newPage();
    await page.goto(`${world.url}/portal/`);
    await page.getByLabel('Username').waitFor();
    await checkPage(page, 'the portal sign-in');

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('correct horse 1');
    await page.keyboard.press('Enter');
    const stepUp = page.getByRole('heading', { level: 1, name: 'Confirm it’s you', exact: true });
    await stepUp.waitFor();
    // A way out: "Lost your device?" says whom to ask, and "Sign out" is there.
    await page.getByText('Lost your device?').click();
    await page.getByText(`Contact your ${ORGANIZATION} help desk`).waitFor();
    await checkPage(page, 'the portal step-up');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('correct horse 1');
    await page.keyboard.press('Enter');
    await stepUp.waitFor();
    await page.getByLabel('Passcode').fill(adaTotp.codeAt(world.clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const home = page.getByRole('heading', { level: 1, name: 'Your sign-in methods' });
    await home.waitFor();

    // Focus moved to the heading for screen readers, without a ring drawn around it.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'home-heading');
    assert.equal(await home.evaluate((h) => getComputedStyle(h).outlineStyle), 'none');
    // The device row says its kind once.
    const row = page.locator('.device').first();
    assert.equal((await row.locator('strong').textContent())?.trim(), 'Authenticator app (codes)');
    assert.doesNotMatch((await row.textContent()) ?? '', /Authenticator app —/);
    // Remove is quiet on the row; red waits for the confirmation.
    const remove = row.getByRole('button', { name: 'Remove Authenticator app' });
    assert.equal(await remove.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgba(0, 0, 0, 0)');
    await remove.click();
    const confirm = row.getByRole('button', { name: 'Yes, remove it' });
    assert.notEqual(await confirm.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgba(0, 0, 0, 0)');
    await checkPage(page, 'the portal home with a removal to confirm');
    await row.getByRole('button', { name: 'Keep it' }).click();
    // The default-method dropdown is ours, not the platform's grey box.
    assert.equal(
      await page.getByLabel('Default method').evaluate((s) => getComputedStyle(s).appearance),
      'none',
    );
    await page.emulateMedia({ colorScheme: 'dark' });
    // The dark header is the page's calm surface, not a bright bar.
    const headerBg = await page.locator('.site-header').evaluate((h) => getComputedStyle(h).backgroundColor);
    assert.equal(headerBg, 'rgb(29, 33, 38)');
    await page.context().close();
  });

  it('the activation page and the Authenticator', async () => {
    const page = await newPage();
    const { code } = await createActivation(world.deps, 'test', ada);
    await page.goto(`${world.url}/activate/#code=${code}`);
    await page.getByRole('heading', { level: 2, name: 'Install the Countersign Authenticator' }).waitFor();
    await checkPage(page, 'the activation page');
    await page.getByRole('button', { name: 'I have it installed' }).click();
    await page.getByRole('img', { name: 'QR code of your activation link' }).waitFor();
    await checkPage(page, 'the activation page, its QR code');

    // A new document, not a hash change: the page reads its code once, on load.
    await page.goto('about:blank');
    await page.goto(`${world.url}/activate/#code=short`);
    await page.getByRole('heading', { name: 'This link is incomplete' }).waitFor();
    await checkPage(page, 'the activation page, a bad link');

    await page.goto(`${world.url}/app/`);
    await page.getByRole('heading', { level: 1, name: 'Countersign Authenticator' }).waitFor();
    // An installed app keeps its own name in the tab and on the home screen.
    await checkPage(page, 'the Authenticator', false);
    await page.context().close();
  });
});
