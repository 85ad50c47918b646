// The portal end to end in Chromium: enroll the Authenticator from its QR code, step-up before anything else once a
// device exists, a TOTP app, a security key, backup codes, rename/remove, e-mail notices, accessibility.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/core/model.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { activateDevice, createDeviceClient, type DeviceClient } from '../../src/device-client/index.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { axeViolations, decodeQr } from '../browser/support/page-tools.ts';
import { createTestUser } from '../support/server.ts';
import { api, openPortalWorld, outbox, type PortalWorld, signIn, virtualAuthenticator } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;
let alice: User;
let phone: DeviceClient;

before(async () => {
  if (skip) return;
  world = await openPortalWorld();
  alice = await createTestUser(world.server.deps, 'alice', {
    password: 'correct horse 1',
    email: 'alice@example.edu',
  });
});
after(async () => {
  if (!skip) await world.close();
});

async function noAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe violations on ${where}: ${JSON.stringify(violations, null, 1)}`);
}

function subjects(): string[] {
  return outbox(world.server).map((mail) => `${mail.to} ${mail.subject}`);
}

async function heading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor({ timeout: 15_000 });
}

test('sign-in failures all read the same (no user enumeration), and the CSRF origin check holds', {
  skip,
}, async () => {
  const attempt = async (username: string, password: string, origin = world.url) => {
    const response = await fetch(`${world.url}/portal/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ username, password }),
    });
    return { status: response.status, body: (await response.json()) as { message: string } };
  };
  const unknown = await attempt('nobody', 'whatever');
  const wrong = await attempt('alice', 'wrong password');
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong, unknown);
  assert.equal(unknown.body.message, 'Incorrect username or password.');
  assert.equal((await attempt('alice', 'correct horse 1', 'https://evil.example')).status, 403);
  await world.server.deps.store.users.recordSuccess(alice.id, world.server.clock.now());
});

test('enroll the Countersign Authenticator from the QR code; the page moves on by itself', {
  skip,
}, async () => {
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await signIn(page, world.url, 'alice', 'correct horse 1');
  await heading(page, 'Your sign-in methods');
  const csp = (await page.request.get(`${world.url}/portal/`)).headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  await noAxeViolations(page, 'home (no device)');

  await page.getByRole('button', { name: 'Countersign Authenticator (push and codes)' }).click();
  await heading(page, 'Add the Countersign Authenticator');
  await noAxeViolations(page, 'add authenticator: install');
  await page.getByRole('button', { name: 'I have it installed' }).click();
  const qr = page.locator('img.qr');
  await qr.waitFor();
  await page.waitForFunction("document.querySelector('img.qr')?.complete === true");
  await noAxeViolations(page, 'add authenticator: QR code');
  const link = decodeQr(await qr.screenshot());
  assert.ok(link?.startsWith(`${world.url}/app/#activate=`), `QR holds an activation link: ${link}`);
  const account = await activateDevice(link!, { name: 'Alice phone' });
  phone = createDeviceClient(account, { clock: world.server.clock });
  await page.getByRole('heading', { name: 'Your phone is ready' }).waitFor({ timeout: 30_000 });
  await noAxeViolations(page, 'add authenticator: done');
  assert.ok(
    subjects().includes('alice@example.edu Countersign: A sign-in method was added'),
    subjects().join('\n'),
  );
  await context.close();
});

async function signedInWithPush(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, world.url, 'alice', 'correct horse 1');
  await heading(page, 'Confirm it’s you');
  await page.getByRole('button', { name: 'Push to my phone' }).click();
  await page.getByRole('button', { name: 'Send a push' }).click();
  const code = (await page.locator('.verification strong').textContent({ timeout: 15_000 }))?.trim() ?? '';
  const [request] = await phone.pending();
  assert.ok(request, 'the phone has the portal request');
  assert.equal(await phone.approve(request.txid, code), 'allow');
  await heading(page, 'Your sign-in methods');
  return page;
}

test('with a device, the password alone shows and changes nothing: 403 and the page asks for a second factor', {
  skip,
}, async () => {
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await signIn(page, world.url, 'alice', 'correct horse 1');
  await heading(page, 'Confirm it’s you');
  await noAxeViolations(page, 'step-up');
  for (const [method, path] of [
    ['POST', '/enroll/authenticator'],
    ['POST', '/enroll/totp/start'],
    ['POST', '/enroll/webauthn/options'],
    ['POST', '/enroll/backup-codes'],
    ['GET', '/devices'],
  ] as const) {
    const answer = await api(page, method, path);
    assert.equal(answer.status, 403, `${method} ${path}`);
    assert.equal(answer.body.error, 'STEP_UP_REQUIRED');
  }
  assert.equal((await world.server.deps.store.activations.findByCodeHash('x')) ?? null, null);
  await context.close();
});

test('after a verified push: add a TOTP app (confirmed by a code), a security key, backup codes; rename and remove', {
  skip,
}, async () => {
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await signedInWithPush(context);

  await page.getByRole('button', { name: 'Another authenticator app (codes)' }).click();
  await heading(page, 'Add another authenticator app');
  const qr = page.locator('img.qr');
  await qr.waitFor();
  await noAxeViolations(page, 'add TOTP');
  const uri = new URL(decodeQr(await qr.screenshot()) ?? 'otpauth://missing');
  const secret = decodeBase32(uri.searchParams.get('secret') ?? '');
  await page
    .getByLabel('6-digit code')
    .fill(
      '000000' ===
        generateTotp(secret, world.server.clock.now(), { algorithm: 'sha1', digits: 6, period: 30 })
        ? '111111'
        : '000000',
    );
  await page.getByRole('button', { name: 'Add app' }).click();
  await page.getByRole('alert').filter({ hasText: 'not the current one' }).waitFor();
  const code = generateTotp(secret, world.server.clock.now(), { algorithm: 'sha1', digits: 6, period: 30 });
  await page.getByLabel('Name (so you can recognise it)').fill('Work app');
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Add app' }).click();
  await page.getByText('The authenticator app is added.').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();

  await virtualAuthenticator(context, page);
  await page.getByRole('button', { name: 'Security key or passkey' }).click();
  await heading(page, 'Add a security key or passkey');
  await noAxeViolations(page, 'add security key');
  await page.getByRole('button', { name: 'Register security key' }).click();
  await page.getByText('Your security key is added.').waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Backup codes to print' }).click();
  await heading(page, 'Backup codes');
  await noAxeViolations(page, 'backup codes: before');
  await page.getByRole('button', { name: 'Create 10 backup codes' }).click();
  await page.locator('ol.codes li').nth(9).waitFor();
  assert.equal(await page.locator('ol.codes li').count(), 10);
  await noAxeViolations(page, 'backup codes: shown');
  await page.getByRole('button', { name: 'I have saved them' }).click();

  await heading(page, 'Your sign-in methods');
  await page.getByRole('button', { name: 'Rename Work app' }).click();
  await page.getByLabel('New name for Work app').fill('Laptop app');
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByText('Renamed to "Laptop app".').waitFor();
  await page.getByRole('button', { name: 'Remove Laptop app' }).click();
  await noAxeViolations(page, 'home: remove confirmation');
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await page.getByText('Removed "Laptop app".').waitFor();
  const kinds = (await world.server.deps.store.authenticators.listForUser(alice.id))
    .map((a) => a.kind)
    .sort();
  assert.deepEqual(kinds, ['push', 'webauthn']);

  await page.getByLabel('Default method').selectOption('push');
  await page.getByLabel('Send the push automatically').check();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await page.getByText('Your sign-in preferences are saved.').waitFor();
  assert.deepEqual(await world.server.deps.store.settings.get(`prefs:${alice.id}`), {
    defaultMethod: 'push',
    autoPush: true,
  });

  await page.getByRole('button', { name: 'Recent sign-ins' }).click();
  await heading(page, 'Recent sign-ins');
  await page.getByRole('table').waitFor();
  await noAxeViolations(page, 'recent sign-ins');
  await page.getByRole('button', { name: 'Back' }).click();

  const mail = subjects().filter((s) => s.startsWith('alice@example.edu'));
  for (const subject of ['was added', 'were created', 'was renamed', 'was removed']) {
    assert.ok(
      mail.some((s) => s.includes(subject)),
      `an e-mail says "${subject}": ${mail.join('\n')}`,
    );
  }

  // 16 minutes later the step-up is stale: changing factors asks again (here with the security key).
  world.server.clock.advance(16 * 60_000);
  assert.equal((await api(page, 'POST', '/enroll/totp/start')).status, 403);
  await page.getByRole('button', { name: 'Backup codes to print' }).click();
  await page.getByRole('button', { name: 'Create 10 backup codes' }).click();
  await heading(page, 'Confirm it’s you');
  await page.getByRole('button', { name: 'Security key or passkey' }).click();
  await page.getByRole('button', { name: 'Use my security key' }).click();
  await heading(page, 'Backup codes');
  await page.getByRole('button', { name: 'Create 10 backup codes' }).click();
  await page.locator('ol.codes li').nth(9).waitFor();
  assert.equal(
    (await world.server.deps.store.bypassCodes.listActive(alice.id, world.server.clock.now())).length,
    10,
  );
  await context.close();
});

test('at 320 px and at 200 % zoom nothing scrolls sideways; keyboard only reaches every control', {
  skip,
}, async () => {
  for (const width of [320, 640]) {
    const context = await world.browser.newContext({
      viewport: { width, height: 700 },
      reducedMotion: 'reduce',
    });
    const page = await signedInWithPush(context);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `no horizontal scroll at ${width}px (overflow ${overflow})`);
    if (width === 320) {
      // Keyboard only: Tab reaches the "Sign out" button and Enter activates it.
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate<boolean>("document.activeElement?.textContent === 'Sign out'")) break;
      }
      await page.keyboard.press('Enter');
      await heading(page, 'Manage your sign-in methods');
    }
    await context.close();
  }
});

test('sign out everywhere ends every session and e-mails the user', { skip }, async () => {
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await signedInWithPush(context);
  const other = await world.browser.newContext({ reducedMotion: 'reduce' });
  const otherPage = await signedInWithPush(other);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await heading(page, 'Manage your sign-in methods');
  assert.equal((await api(otherPage, 'GET', '/devices')).status, 401);
  assert.ok(subjects().includes('alice@example.edu Countersign: You were signed out everywhere'));
  await context.close();
  await other.close();
});
