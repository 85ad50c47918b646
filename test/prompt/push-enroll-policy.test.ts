// The prompt in Chromium: push with the verified number, inline enrollment hand-off and resume, a policy denial,
// and the page's security headers (strict CSP, no inline script).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { loadWebSession } from '../../src/core/web/sessions.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { assertAxeClean, callbackCode, callbackDenied, launchChromium } from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

describe('login prompt: push, enrollment, policy, headers', () => {
  let world: PromptWorld;
  let browser: Browser;

  before(async () => {
    world = await startPromptWorld();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  const newPage = async (): Promise<Page> => (await browser.newContext()).newPage();
  const resultOf = async (code: string) => {
    const { body } = await world.exchange(code);
    return world.claims(String(body.id_token)) as {
      auth_result: { result: string };
      auth_context: { factor: string };
    };
  };

  it('signs in with a push: the verified number shown on the page is the one the device must send', async () => {
    const user = await createTestUser(world.deps, 'dave');
    const { code } = await createActivation(world.deps, 'test', user);
    const account = await activateDevice(activationLink(world.url, code), { name: 'Dave’s phone' });
    const device = createDeviceClient(account, { clock: world.clock });
    const page = await newPage();
    await page.goto(world.authorizeUrl('dave'));
    await page.getByRole('button', { name: 'Send request' }).click();
    const text = (await page.locator('.verification-code').textContent()) ?? '';
    const shown = /([0-9]+)\s*$/.exec(text)?.[1] ?? '';
    assert.match(shown, /^[0-9]{3}$/);
    await assertAxeClean(page, 'the push step');
    const [pending] = await device.pending();
    assert.ok(pending);
    assert.equal(await device.approve(pending.txid, shown), 'allow');
    const claims = await resultOf(await callbackCode(page));
    assert.equal(claims.auth_result.result, 'allow');
    assert.equal(claims.auth_context.factor, 'duo_push');
  });

  it('hands a user with no device to the portal with an enrollment-only session, then resumes', async () => {
    const user = await createTestUser(world.deps, 'heidi');
    const page = await newPage();
    await page.goto(world.authorizeUrl('heidi'));
    await page.getByRole('heading', { name: 'Set up a second way to sign in' }).waitFor();
    await assertAxeClean(page, 'the enrollment step');
    await page.getByRole('button', { name: 'Start set-up' }).click();
    await page.waitForURL(/\/portal\/enroll$/);
    const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-cs-session');
    const session = await loadWebSession(world.deps, cookie?.value);
    assert.equal(session?.kind, 'portal');
    assert.equal(session?.data.scope, 'enroll');
    const returnTo = String(session?.data.returnTo);
    assert.match(returnTo, /^\/prompt\/[A-Za-z0-9_-]{43}\?resume=/);

    // The portal enrolls a device (here: a TOTP), then "Continue" returns to the prompt, which asks for it.
    const totp = await addTestTotp(world.deps, user);
    await page.goto(`${world.url}${returnTo}`);
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    assert.doesNotMatch(page.url(), /resume=/, 'the one-time token leaves the address bar');
    await page.getByLabel('Passcode', { exact: true }).fill(totp.codeAt(world.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.equal((await resultOf(await callbackCode(page))).auth_result.result, 'allow');

    // The resume token is single use.
    const again = await newPage();
    await again.goto(`${world.url}${returnTo}`);
    await again.getByText(/expired or was started in another browser/).waitFor();
  });

  it('shows a clear message when policy denies access, and returns access_denied to the application', async () => {
    await world.deps.store.groups.upsert({ name: 'contractors', policy: { authPolicy: 'deny' } });
    const user = await createTestUser(world.deps, 'ivan', { groups: ['contractors'] });
    await addTestTotp(world.deps, user);
    const page = await newPage();
    await page.goto(world.authorizeUrl('ivan'));
    await page.getByText(/policy does not allow signing in to Example Web App/).waitFor();
    await assertAxeClean(page, 'the policy-denied page');
    await page.getByRole('button', { name: 'Return to Example Web App' }).click();
    const url = await callbackDenied(page);
    assert.equal(url.searchParams.get('error_description'), 'The sign-in was denied.');
  });

  it('serves the page with a strict CSP and no inline script or style; bad requests get a 400 page', async () => {
    const response = await fetch(`${world.url}/prompt/${'A'.repeat(43)}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /<style|style=/, 'no inline style');

    const page = await newPage();
    const bad = await page.goto(world.authorizeUrl('dave', { claims: { aud: 'https://elsewhere.example' } }));
    assert.equal(bad?.status(), 400);
    await page.getByRole('heading', { name: 'This sign-in link is not valid' }).waitFor();
    await assertAxeClean(page, 'the bad-request page');
  });
});
