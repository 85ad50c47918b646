// Writes a screenshot of every self-service portal page into docs/screenshots/ (node scripts/screenshots-portal.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startWebSession } from '../src/core/web/sessions.ts';
import { activateDevice, createDeviceClient } from '../src/device-client/index.ts';
import { SESSION_COOKIE } from '../src/fronts/web-common/cookies.ts';
import { decodeQr } from '../test/browser/support/page-tools.ts';
import { openPortalWorld, signIn, virtualAuthenticator } from '../test/portal/support.ts';
import { createTestUser } from '../test/support/server.ts';

const outDir = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });

// The made-up organization of every screenshot, with its logo in the header.
const world = await openPortalWorld({
  organization: 'Example University',
  logo_file: join(import.meta.dirname, 'example-logo.svg'),
});
const shot = async (page: Page, name: string) => {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(outDir, `portal-${name}.png`), fullPage: true });
  console.log(`docs/screenshots/portal-${name}.png`);
};
const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

try {
  const deps = world.server.deps;
  await createTestUser(deps, 'jordan', {
    password: 'screenshots-1',
    email: 'jordan@example.edu',
    realName: 'Jordan Lee',
  });
  const context = await world.browser.newContext({ viewport: { width: 900, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${world.url}/portal/`);
  await h1(page, 'Manage your sign-in methods');
  await shot(page, '01-sign-in');
  await signIn(page, world.url, 'jordan', 'screenshots-1');
  await h1(page, 'Your sign-in methods');
  await shot(page, '02-home-empty');

  await page.getByRole('button', { name: 'Countersign Authenticator (push and codes)' }).click();
  await shot(page, '03-authenticator-install');
  await page.getByRole('button', { name: 'I have it installed' }).click();
  // A function, not a string: the page's CSP forbids evaluating strings as script.
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.qr')?.complete === true);
  await shot(page, '04-authenticator-qr');
  const link = decodeQr(await page.locator('img.qr').screenshot());
  const phone = createDeviceClient(await activateDevice(link!, { name: 'Jordan phone' }), {
    clock: world.server.clock,
  });
  await page.getByRole('heading', { name: 'Your phone is ready' }).waitFor({ timeout: 30_000 });
  await shot(page, '05-authenticator-done');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Another authenticator app (codes)' }).click();
  await page.locator('img.qr').waitFor();
  await shot(page, '06-totp-app');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await virtualAuthenticator(context, page);
  await page.getByRole('button', { name: 'Security key or passkey' }).click();
  await shot(page, '07-security-key');
  await page.getByRole('button', { name: 'Register security key' }).click();
  await page.getByText('Your security key is added.').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Backup codes to print' }).click();
  await page.getByRole('button', { name: 'Create 10 backup codes' }).click();
  await page.locator('ol.codes li').nth(9).waitFor();
  await shot(page, '08-backup-codes');
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await h1(page, 'Your sign-in methods');
  await shot(page, '09-home-devices');
  await page.getByRole('button', { name: 'Remove Security key' }).click();
  await shot(page, '10-remove-confirm');
  await page.getByRole('button', { name: 'Keep it' }).click();

  // A new browser: the password alone leads to the second-factor step, shown with the verified-push number.
  const other = await world.browser.newContext({ viewport: { width: 900, height: 800 } });
  const second = await other.newPage();
  await signIn(second, world.url, 'jordan', 'screenshots-1');
  await h1(second, 'Confirm it’s you');
  await second.getByText('Lost your device?').click();
  await shot(second, '12-step-up');
  await second.getByRole('button', { name: 'Push to my phone' }).click();
  await second.getByRole('button', { name: 'Send a push' }).click();
  await second.locator('.verification strong').waitFor();
  await shot(second, '13-step-up-push');
  const code = (await second.locator('.verification strong').textContent())?.trim();
  const [request] = await phone.pending();
  if (request) await phone.approve(request.txid, code);
  await h1(second, 'Your sign-in methods');
  await second.getByRole('button', { name: 'Recent sign-ins' }).click();
  await second.getByRole('table').waitFor();
  await shot(second, '11-recent-sign-ins');
  await second.getByRole('button', { name: 'Back' }).click();
  await h1(second, 'Your sign-in methods');
  await second.emulateMedia({ colorScheme: 'dark' });
  await shot(second, '15-home-dark');

  // The prompt's inline-enrollment hand-off at 320 px.
  const user = await createTestUser(deps, 'sam', { email: 'sam@example.edu' });
  const { token } = await startWebSession(deps, user, 'portal', {
    data: { scope: 'enroll', returnTo: '/prompt/x' },
  });
  const narrow = await world.browser.newContext({ viewport: { width: 320, height: 700 } });
  const small = await narrow.newPage();
  await small.goto(`${world.url}/portal/assets/missing`);
  await small.evaluate(
    `document.cookie = ${JSON.stringify(`${SESSION_COOKIE}=${token}; Path=/; Secure; SameSite=Lax`)}`,
  );
  await small.goto(`${world.url}/portal/enroll`);
  await h1(small, 'Set up a sign-in method');
  await shot(small, '14-enroll-only-320px');
} finally {
  await world.close();
}
