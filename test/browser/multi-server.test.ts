// One Countersign Authenticator (served by server A) holding accounts on two servers (two origins) in real Chromium:
// it activates on both, lists both, and answers a verified push from each over each server's own live channel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { User } from '../../src/core/model.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { createTestApp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';
import { type AuthApiCall, authApiCaller } from './support/auth-api.ts';
import { buildWebApps, chromiumMissing, launchChromium } from './support/browser.ts';

const WAIT = { timeout: 15_000 };

/** One Countersign server of the test: its Auth API caller, its application's name, its user and code. */
interface Side {
  server: TestServer<Clock>;
  call: AuthApiCall;
  application: string;
  user: User;
  code: string;
}

/** Starts a server on the system clock (the browser signs with Date.now()) with an application and a user. */
async function startSide(application: string, username: string): Promise<Side> {
  const server = await startTestServer({ clock: systemClock });
  const { ikey, skey } = await createTestApp(server.deps, { name: application });
  const user = await createTestUser(server.deps, username);
  const { code } = await createActivation(server.deps, 'test', user);
  return { server, call: authApiCaller(server.url, ikey, skey), application, user, code };
}

/** Starts an async verified push on `side`; returns its txid and the number the login screen would show. */
async function verifiedPush(side: Side): Promise<{ txid: string; number: string }> {
  const started = await side.call('POST', '/auth/v2/auth', {
    username: side.user.username,
    factor: 'push',
    device: 'auto',
    async: '1',
    client_supports_verified_push: '1',
    ipaddr: '198.51.100.9',
  });
  const txid = String(started.txid);
  const status = await side.call('GET', '/auth/v2/auth_status', { txid });
  const number = /verification code ([0-9]+)/.exec(String(status.status_msg))?.[1];
  assert.ok(number, `auth_status shows the number: ${JSON.stringify(status)}`);
  return { txid, number };
}

/** Long-polls auth_status on `side` until the transaction is no longer waiting. */
async function finalStatus(side: Side, txid: string): Promise<Record<string, unknown>> {
  for (let polls = 0; polls < 5; polls++) {
    const status = await side.call('GET', '/auth/v2/auth_status', { txid });
    if (status.result !== 'waiting') return status;
  }
  throw new Error(`${txid} is still waiting on ${side.server.url}`);
}

describe('Countersign Authenticator with accounts on two servers', { skip: chromiumMissing() }, () => {
  let a: Side;
  let b: Side;
  let browser: Browser;
  let app: Page;

  before(async () => {
    await buildWebApps();
    a = await startSide('Payroll', 'alice');
    b = await startSide('Wiki', 'bruno');
    assert.notEqual(new URL(a.server.url).origin, new URL(b.server.url).origin, 'two origins');
    browser = await launchChromium();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    app = await phone.newPage();
  });

  after(async () => {
    await browser?.close();
    await a?.server.close();
    await b?.server.close();
  });

  /** Waits for the request `txid` to show up live, types its number, approves, and checks the server allows. */
  async function approveLive(side: Side): Promise<void> {
    const { txid, number } = await verifiedPush(side);
    // No reload, no polling in the app: only the account's live channel (SSE to its own server) brings it in.
    const card = app.locator(`article[data-txid="${txid}"]`);
    await card.waitFor(WAIT);
    const text = (await card.textContent()) ?? '';
    for (const shown of [side.application, side.user.username, '198.51.100.9']) {
      assert.ok(text.includes(shown), `the request shows ${shown}: ${text}`);
    }
    await card.getByLabel('Enter the number shown on your login screen').fill(number);
    await card.getByRole('button', { name: 'Approve' }).click();
    await app.getByText(`Approved. You are being signed in to ${side.application}.`).waitFor(WAIT);
    await card.waitFor({ state: 'detached', ...WAIT });
    const status = await finalStatus(side, txid);
    assert.equal(status.result, 'allow', JSON.stringify(status));
  }

  test('1. opened from server A by its link, the app adds a server B account from code@server', async () => {
    await app.goto(activationLink(a.server.url, a.code));
    await app.locator('[data-account="alice"]').waitFor(WAIT);

    const field = app.getByLabel('Activation link or code');
    await field.fill(`${b.code}@${b.server.url}`);
    await app.getByRole('button', { name: 'Add account' }).click();
    // The form shows why an add failed (e.g. server B unreachable from this origin): fail with that text, not a timeout.
    const refusal = app.locator('form.add-account .error');
    await app.getByText('Account added: bruno').or(refusal).first().waitFor(WAIT);
    assert.equal(
      await refusal.count(),
      0,
      `adding the server B account failed: ${await refusal.allTextContents()}`,
    );
    assert.equal(await field.inputValue(), '', 'the form is cleared after a successful add');

    // Both accounts are listed, each with the host of its own server.
    const hosts = { alice: new URL(a.server.url).host, bruno: new URL(b.server.url).host };
    for (const [username, host] of Object.entries(hosts)) {
      const account = app.locator(`[data-account="${username}"]`);
      await account.waitFor(WAIT);
      assert.match((await account.locator('.username').textContent()) ?? '', new RegExp(username));
      assert.equal(await account.locator('.server').textContent(), host);
    }
    assert.equal(await app.locator('[data-account]').count(), 2);

    // Each server registered exactly one device, for its own user.
    for (const side of [a, b]) {
      const devices = await side.server.deps.store.authenticators.listForUser(side.user.id);
      assert.equal(devices.filter((device) => device.kind === 'push').length, 1, side.server.url);
    }
  });

  test('2. a verified push from server B (the other origin) appears live and is approved', async () => {
    await approveLive(b);
  });

  test('3. a verified push from server A (the origin of the app) appears live and is approved', async () => {
    await approveLive(a);
  });
});
