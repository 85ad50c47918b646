// Writes a screenshot of every login prompt page into docs/screenshots/prompt-*.png (node scripts/screenshots-prompt.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createActivation } from '../src/core/enrollment/create-activation.ts';
import { activateDevice } from '../src/device-client/activate.ts';
import { activationLink } from '../src/device-protocol/activation-link.ts';
import { chromiumMissing } from '../test/browser/support/browser.ts';
import { type OidcWorld, relyingParty } from '../test/oidc/harness.ts';
import { buildPortal, signIn, virtualAuthenticator } from '../test/portal/support.ts';
import { launchChromium } from '../test/prompt/browser.ts';
import { startPromptWorld } from '../test/prompt/harness.ts';
import { addTestTotp, createTestUser } from '../test/support/server.ts';

const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
const outDir = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });

buildPortal();
// The made-up organization of every screenshot, with its logo in the header.
const world = await startPromptWorld({
  config: { organization: 'Example University', logo_file: join(import.meta.dirname, 'example-logo.svg') },
});
const browser = await launchChromium();
/** Saves the page; `live` pages hold a long poll open, so they never reach network idle. */
const shot = async (page: Page, name: string, live = false) => {
  await page.waitForLoadState(live ? 'load' : 'networkidle');
  await page.screenshot({ path: join(outDir, `prompt-${name}.png`), fullPage: true });
  console.log(`docs/screenshots/prompt-${name}.png`);
};
const confirmHeading = (page: Page) => page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
const viewport = { width: 900, height: 700 };

try {
  const { deps } = world;
  // Robin has every method: the Authenticator (push), a TOTP app (passcodes), and a security key.
  const robin = await createTestUser(deps, 'robin', {
    password: 'screenshots-1',
    email: 'robin@example.edu',
    realName: 'Robin Park',
  });
  const { code } = await createActivation(deps, 'screenshots', robin);
  await activateDevice(activationLink(world.url, code), { name: 'Robin’s phone' });
  const totp = await addTestTotp(deps, robin);

  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await virtualAuthenticator(context, page);
  // The key is registered through the portal: sign in, step up with a passcode, add the key.
  await signIn(page, world.url, 'robin', 'screenshots-1');
  await page.getByRole('button', { name: 'Passcode' }).click();
  await page.getByLabel('Passcode').fill(totp.codeAt(world.clock.now()));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('button', { name: 'Security key or passkey' }).click();
  await page.getByRole('button', { name: 'Register security key' }).click();
  await page.getByText('Your security key is added.').waitFor();
  world.clock.advance(30_000);

  // A front that checks the password first (the local test front), then the methods.
  await page.goto(`${world.url}/test-front/start?app=${world.client.app.id}&user=robin`);
  await page.getByLabel('Password').waitFor();
  await shot(page, '01-password');
  await page.getByLabel('Password').fill('screenshots-1');
  await page.getByRole('button', { name: 'Continue' }).click();
  await confirmHeading(page);
  await page.getByRole('button', { name: 'Other options' }).click();
  await shot(page, '02-methods');
  await page.getByRole('button', { name: 'Other options' }).click();

  await page.getByRole('button', { name: 'Send request' }).click();
  await page.locator('.verification-code').waitFor();
  await shot(page, '03-push-waiting', true);

  await page.getByRole('button', { name: 'Other options' }).click();
  await page.getByRole('button', { name: 'Use a security key' }).click();
  await page.getByRole('button', { name: 'Use security key' }).waitFor();
  await shot(page, '04-security-key', true);

  await page.getByRole('button', { name: 'Other options' }).click();
  await page.getByRole('button', { name: 'Enter a passcode' }).click();
  await page.getByLabel('Passcode', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('That passcode is not correct. Try again.').waitFor();
  await page.getByLabel('Passcode', { exact: true }).fill('');
  await shot(page, '05-passcode');

  await page.getByLabel('Passcode', { exact: true }).fill(totp.codeAt(world.clock.now()));
  await page.getByLabel(/Remember me for/).check();
  await shot(page, '06-remember-me');
  await context.close();

  // A user with nothing enrolled: the hand-off to the portal's set-up.
  await createTestUser(deps, 'casey', { email: 'casey@example.edu' });
  const fresh = await (await browser.newContext({ viewport })).newPage();
  await fresh.goto(world.authorizeUrl('casey'));
  await fresh.getByRole('heading', { name: 'Set up a second way to sign in' }).waitFor();
  await shot(fresh, '07-enrollment-hand-off');

  // A group whose policy denies this application.
  await deps.store.groups.upsert({ name: 'contractors', policy: { authPolicy: 'deny' } });
  const denied = await createTestUser(deps, 'drew', { groups: ['contractors'] });
  await addTestTotp(deps, denied);
  await fresh.goto(world.authorizeUrl('drew'));
  await fresh.getByText(/policy does not allow signing in/).waitFor();
  await shot(fresh, '08-denied-by-policy');

  // A Universal Prompt request signed for another audience: the server's own error page (HTTP 400).
  await fresh.goto(world.authorizeUrl('robin', { claims: { aud: 'https://elsewhere.example' } }));
  await fresh.getByRole('heading', { name: 'This sign-in link is not valid' }).waitFor();
  await shot(fresh, '09-bad-request');

  // The identity provider's own pages: the SSO sign-in page (OIDC), an unknown OIDC client, an unknown SAML SP.
  const wiki = await relyingParty(
    { url: world.url, issuer: `${world.url}/oidc`, deps: world.deps } as OidcWorld,
    { name: 'Staff Wiki' },
  );
  await fresh.goto((await wiki.begin()).url.href);
  await fresh.getByRole('heading', { name: 'Sign in to Staff Wiki' }).waitFor();
  await shot(fresh, '11-sso-sign-in');
  await fresh.goto(`${world.url}/oidc/authorize?client_id=nobody&response_type=code&scope=openid`);
  await fresh.getByRole('heading', { name: 'This application is not connected' }).waitFor();
  await shot(fresh, '12-oidc-error');
  await fresh.goto(`${world.url}/saml/idp-initiated?sp=${encodeURIComponent('https://nobody.example')}`);
  await fresh.getByRole('heading', { name: 'This sign-in link is not valid' }).waitFor();
  await shot(fresh, '13-saml-refusal');

  // The push step on a phone-sized screen.
  const narrow = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
  await narrow.goto(world.authorizeUrl('robin'));
  await narrow.getByRole('button', { name: 'Send request' }).click();
  await narrow.locator('.verification-code').waitFor();
  await shot(narrow, '10-push-320px', true);

  // Dark mode: the same calm card and header.
  const dark = await (await browser.newContext({ viewport, colorScheme: 'dark' })).newPage();
  await dark.goto(world.authorizeUrl('robin'));
  await confirmHeading(dark);
  await shot(dark, '14-methods-dark');
} finally {
  await browser.close();
  await world.close();
}
