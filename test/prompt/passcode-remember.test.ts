// The prompt in Chromium: TOTP and bypass passcodes, "remember me" inside and after its window, revocation on
// disable, keyboard-only use, 320 px reflow, the password step, axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setUserStatus } from '../../src/core/admin/create-user.ts';
import { addTestTotp, createTestUser, issueTestBypassCodes } from '../support/server.ts';
import {
  assertAxeClean,
  assertReflows,
  callbackCode,
  callbackDenied,
  launchChromium,
  tabTo,
} from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

describe('login prompt: passcodes and remember me', () => {
  let world: PromptWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    world = await startPromptWorld();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  const freshPage = async (viewport = { width: 1000, height: 800 }) => {
    await context?.close();
    context = await browser.newContext({ viewport });
    page = await context.newPage();
    return page;
  };

  const exchangeResult = async (code: string) => {
    const { status, body } = await world.exchange(code);
    assert.equal(status, 200, JSON.stringify(body));
    return world.claims(String(body.id_token));
  };

  it('signs in with a TOTP passcode; remember me skips the factor for 12 hours, not after; disabling revokes', async () => {
    const user = await createTestUser(world.deps, 'erin');
    const totp = await addTestTotp(world.deps, user);
    await freshPage();
    await page.goto(world.authorizeUrl('erin'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await assertAxeClean(page, 'the passcode step');
    await page.getByLabel('Passcode', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That passcode is not correct. Try again.').waitFor();
    await assertAxeClean(page, 'the passcode step after a wrong code');
    await page.getByLabel('Passcode', { exact: true }).fill(totp.codeAt(world.clock.now()));
    await page.getByLabel('Remember me for 12 hours on this browser').check();
    await page.getByRole('button', { name: 'Verify' }).click();
    const first = await exchangeResult(await callbackCode(page));
    assert.deepEqual(first.auth_result, { result: 'allow', status: 'allow', status_msg: 'Login Successful' });
    const remember = (await context.cookies()).find((c) => c.name === '__Host-cs-remember');
    assert.ok(remember?.httpOnly && remember.secure, 'the remember cookie is HttpOnly and Secure');

    // Within the window: straight back to the application, reason "remembered".
    world.clock.advance(11 * 3_600_000);
    await page.goto(world.authorizeUrl('erin'));
    const second = await exchangeResult(await callbackCode(page));
    assert.equal(second.auth_result && (second.auth_result as { result: string }).result, 'allow');
    assert.equal((second.auth_context as { factor: string }).factor, 'remembered_device');

    // After the window (12 h + 1 min from the first login): asked again.
    world.clock.advance(3_600_000 + 60_000);
    await page.goto(world.authorizeUrl('erin'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await page.getByLabel('Passcode', { exact: true }).fill(totp.codeAt(world.clock.now()));
    await page.getByLabel('Remember me for 12 hours on this browser').check();
    await page.getByRole('button', { name: 'Verify' }).click();
    await exchangeResult(await callbackCode(page));

    // Disabling the user revokes remembered browsers: after re-enabling, the factor is asked again.
    await setUserStatus(world.deps, 'test', user, 'disabled');
    await page.goto(world.authorizeUrl('erin'));
    await page.getByRole('heading', { name: /You can.t sign in to Example Web App/ }).waitFor();
    await assertAxeClean(page, 'the blocked page');
    await page.getByRole('button', { name: 'Return to Example Web App' }).click();
    await callbackDenied(page);
    await setUserStatus(world.deps, 'test', { ...user, status: 'disabled' }, 'active');
    world.clock.advance(60_000);
    await page.goto(world.authorizeUrl('erin'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
  });

  it('signs in with a bypass code, keyboard only, at 320 px', async () => {
    const user = await createTestUser(world.deps, 'frank');
    const [code] = await issueTestBypassCodes(world.deps, user);
    await freshPage({ width: 320, height: 640 });
    await page.goto(world.authorizeUrl('frank'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await assertReflows(page, 'the passcode step at 320 px');
    await tabTo(page, '#passcode');
    await page.keyboard.type(code!);
    await page.keyboard.press('Enter');
    const claims = await exchangeResult(await callbackCode(page));
    assert.equal((claims.auth_result as { result: string }).result, 'allow');
    assert.equal((claims.auth_context as { factor: string }).factor, 'bypass_code');
  });

  it('asks for the password first when the front needs it, with one message for every failure', async () => {
    await createTestUser(world.deps, 'grace', { password: 'correct horse battery' });
    const user = await world.deps.store.users.findByName('grace');
    await addTestTotp(world.deps, user!);
    await freshPage();
    await page.goto(`${world.url}/test-front/start?app=${world.client.app.id}&user=grace`);
    await page.getByLabel('Password').waitFor();
    await assertAxeClean(page, 'the password step');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Incorrect username or password.').waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
  });
});
