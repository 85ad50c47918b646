// The Countersign Authenticator and the activation page in real Chromium: a computer shows the QR code, a phone
// scans it, activates, answers verified pushes (approve, report fraud), shows passcodes, works offline, by keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { User } from '../../src/core/model.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { createTestApp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';
import { type AuthApiCall, authApiCaller } from './support/auth-api.ts';
import { buildWebApps, chromiumMissing, launchChromium } from './support/browser.ts';
import { axeViolations, decodeQr, tabTo } from './support/page-tools.ts';

const WAIT = { timeout: 15_000 };

describe('Countersign Authenticator in Chromium', { skip: chromiumMissing() }, () => {
  let server: TestServer<Clock>;
  let browser: Browser;
  let computer: BrowserContext;
  let phone: BrowserContext;
  let app: Page;
  let call: AuthApiCall;
  let alice: User;
  let aliceCode: string;

  before(async () => {
    await buildWebApps();
    // The browser signs with its own clock (Date.now()): the server must run on the same one.
    server = await startTestServer({ clock: systemClock });
    const { ikey, skey } = await createTestApp(server.deps, { name: 'Payroll' });
    call = authApiCaller(server.url, ikey, skey);
    alice = await createTestUser(server.deps, 'alice');
    aliceCode = (await createActivation(server.deps, 'test', alice)).code;
    browser = await launchChromium();
    computer = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  let attempts = 0;
  /** Starts an async verified push; returns its txid and the number the login screen would show. */
  async function verifiedPush(
    username: string,
    ipaddr = '198.51.100.7',
  ): Promise<{ txid: string; number: string }> {
    // Each login attempt is its own request: the same signed /auth twice within a second is a replay (refused).
    const attempt = ++attempts;
    const started = await call('POST', '/auth/v2/auth', {
      username,
      factor: 'push',
      device: 'auto',
      async: '1',
      client_supports_verified_push: '1',
      ipaddr,
      pushinfo: `from=browser%20test&attempt=${attempt}`,
    });
    const txid = String(started.txid);
    const status = await call('GET', '/auth/v2/auth_status', { txid });
    const number = /verification code ([0-9]+)/.exec(String(status.status_msg))?.[1];
    assert.ok(number, `auth_status shows the number: ${JSON.stringify(status)}`);
    return { txid, number };
  }

  /** Long-polls auth_status until the transaction is no longer waiting. */
  async function finalStatus(txid: string): Promise<Record<string, unknown>> {
    for (let polls = 0; polls < 5; polls++) {
      const status = await call('GET', '/auth/v2/auth_status', { txid });
      if (status.result !== 'waiting') return status;
    }
    throw new Error(`${txid} is still waiting`);
  }

  const requestCard = (txid: string) => app.locator(`article[data-txid="${txid}"]`);

  test('1. the activation page, after "I have it installed", shows the app activation link as a QR code', async () => {
    const page = await computer.newPage();
    await page.goto(`${server.url}/activate/#code=${aliceCode}`);
    await page.getByRole('heading', { name: 'Install the Countersign Authenticator' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'I have it installed' }).click();
    const qr = page.getByRole('img', { name: 'QR code of your activation link' });
    await qr.waitFor(WAIT);
    await page.waitForFunction(
      `(() => { const img = document.querySelector('img.qr'); return img?.complete && img.naturalWidth > 0; })()`,
    );
    // The phone's camera: decode the code from what the screen shows.
    const seen = decodeQr(await page.screenshot({ fullPage: true }));
    assert.equal(seen, activationLink(server.url, aliceCode));
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(`#activate=${aliceCode}`));
  });

  test('2. the phone opens the scanned link and activates; the computer moves on by itself', async () => {
    const computerPage = computer.pages()[0]!;
    app = await phone.newPage();
    await app.goto(activationLink(server.url, aliceCode));
    await app.locator('[data-account="alice"]').waitFor(WAIT);
    await app.getByText('Account added: alice').waitFor(WAIT);
    assert.equal(new URL(app.url()).hash, '', 'the single-use code is dropped from the address bar');
    // The computer polls POST /activate/status every 2 s.
    await computerPage.getByRole('heading', { name: 'Your phone is activated' }).waitFor(WAIT);
    const devices = await server.deps.store.authenticators.listForUser(alice.id);
    assert.equal(devices.filter((device) => device.kind === 'push').length, 1);
  });

  test('3. a verified push appears live; typing the number and approving lets the login in', async () => {
    // A public address: its place (GeoIP) is shown, credited to DB-IP as its licence asks.
    const { txid, number } = await verifiedPush('alice', '8.8.8.8');
    const card = requestCard(txid);
    await card.waitFor(WAIT);
    const text = (await card.textContent()) ?? '';
    for (const shown of ['Login request', 'Payroll', 'alice', '8.8.8.8', 'Mountain View', 'browser test']) {
      assert.ok(text.includes(shown), `the request shows ${shown}: ${text}`);
    }
    const credit = card.getByRole('link', { name: 'IP Geolocation by DB-IP' });
    assert.equal(await credit.getAttribute('href'), 'https://db-ip.com');
    const input = card.getByLabel('Enter the number shown on your login screen');
    assert.equal(await input.getAttribute('maxlength'), String(number.length));
    // Approve without the number is refused in the app itself.
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByText(`Enter the ${number.length}-digit number`).waitFor(WAIT);
    await input.fill(number);
    await card.getByRole('button', { name: 'Approve' }).click();
    await app.getByText('Approved. You are being signed in to Payroll.').waitFor(WAIT);
    await card.waitFor({ state: 'detached', ...WAIT });
    const status = await finalStatus(txid);
    assert.equal(status.result, 'allow');
  });

  test('4. deny and report as fraud: auth_status says fraud, and the next push is refused', async () => {
    const { txid } = await verifiedPush('alice');
    const card = requestCard(txid);
    await card.waitFor(WAIT);
    await card.getByRole('button', { name: 'Deny' }).click();
    await card.getByRole('heading', { name: 'Report as fraud?' }).waitFor(WAIT);
    await card.getByRole('button', { name: 'Yes, report' }).click();
    await app.getByText('Reported as fraud.').waitFor(WAIT);
    const status = await finalStatus(txid);
    assert.equal(status.result, 'deny');
    assert.equal(status.status, 'fraud');
    const again = await call('POST', '/auth/v2/auth', {
      username: 'alice',
      factor: 'push',
      device: 'auto',
      async: '1',
    });
    const outcome = again.txid ? await finalStatus(String(again.txid)) : again;
    assert.equal(outcome.result, 'deny');
    assert.match(String(outcome.status_msg), /paused after a fraud report/);
  });

  test('5. the passcode the app shows is accepted by factor=passcode', async () => {
    const passcode = await app
      .locator('[data-account="alice"] [data-passcode]')
      .getAttribute('data-passcode');
    assert.match(passcode ?? '', /^[0-9]{6}$/);
    const result = await call('POST', '/auth/v2/auth', {
      username: 'alice',
      factor: 'passcode',
      passcode: passcode!,
    });
    assert.equal(result.result, 'allow', JSON.stringify(result));
  });

  test('6. axe-core finds no violations on the activation page (each step) or the app', async () => {
    const bob = await createTestUser(server.deps, 'bob');
    const { code } = await createActivation(server.deps, 'test', bob);
    const page = await computer.newPage();
    await page.goto(`${server.url}/activate/#code=${code}`);
    await page.getByRole('button', { name: 'I have it installed' }).waitFor(WAIT);
    assert.deepEqual(await axeViolations(page), [], 'activation page, step 1');
    await page.getByRole('button', { name: 'I have it installed' }).click();
    await page.locator('img.qr').waitFor(WAIT);
    assert.deepEqual(await axeViolations(page), [], 'activation page, QR step');
    await page.close();
    assert.deepEqual(await axeViolations(app), [], 'the app with an account');
  });

  test('7. keyboard only: add an account by pasting code@server, then approve a verified push', async () => {
    const carol = await createTestUser(server.deps, 'carol');
    const { code } = await createActivation(server.deps, 'test', carol);
    await tabTo(app, 'form.add-account input');
    await app.keyboard.type(`${code}@${server.url}`);
    await app.keyboard.press('Enter');
    await app.locator('[data-account="carol"]').waitFor(WAIT);

    const { txid, number } = await verifiedPush('carol');
    const card = requestCard(txid);
    await card.waitFor(WAIT);
    assert.deepEqual(await axeViolations(app), [], 'the app with a waiting request');
    await tabTo(app, `article[data-txid="${txid}"] input`);
    await app.keyboard.type(number);
    await tabTo(app, `article[data-txid="${txid}"] button[type="submit"]`, 3);
    await app.keyboard.press('Enter');
    await app.getByText('Approved. You are being signed in to Payroll.').waitFor(WAIT);
    assert.equal((await finalStatus(txid)).result, 'allow');
  });

  test('8. offline: the installed app opens from its service worker cache and still shows passcodes', async () => {
    await app.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await app.waitForFunction('navigator.serviceWorker.controller !== null', undefined, WAIT);
    await phone.setOffline(true);
    try {
      await app.reload();
      for (const username of ['alice', 'carol']) {
        const passcode = app.locator(`[data-account="${username}"] [data-passcode]`);
        await passcode.waitFor(WAIT);
        await app.waitForFunction(
          `/^[0-9]{6}$/.test(document.querySelector('[data-account="${username}"] [data-passcode]')?.dataset.passcode ?? '')`,
          undefined,
          WAIT,
        );
      }
    } finally {
      await phone.setOffline(false);
    }
  });
});
