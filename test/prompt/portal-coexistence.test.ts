// One browser, two web fronts: a portal session (`__Host-cs-session`) survives a prompt login completed in another
// tab (the prompt keeps its flow in `__Host-cs-prompt`), and the portal keeps working without a new sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { PROMPT_COOKIE, SESSION_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { buildPortal, signIn } from '../portal/support.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';
import { callbackCode, launchChromium } from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

const PASSWORD = 'two-tabs-password-1';

describe('portal session and prompt flow in one browser', { skip: chromiumMissing() }, () => {
  let world: PromptWorld;
  let browser: Browser;

  before(async () => {
    buildPortal();
    world = await startPromptWorld();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  const cookie = async (context: BrowserContext, name: string) =>
    (await context.cookies(world.url)).find((c) => c.name === name)?.value;

  it('signs in to the portal, completes a prompt login in another tab, and the portal still works', async () => {
    const user = await createTestUser(world.deps, 'maya', { password: PASSWORD, email: 'maya@example.edu' });
    const totp = await addTestTotp(world.deps, user);
    const context = await browser.newContext({ reducedMotion: 'reduce' });

    // Tab 1: the portal, with the password and the step-up a user with a device must pass.
    const portal = await context.newPage();
    await signIn(portal, world.url, 'maya', PASSWORD);
    await portal.getByRole('heading', { level: 1, name: 'Confirm it’s you', exact: true }).waitFor();
    await portal.getByLabel('Passcode').fill(totp.codeAt(world.clock.now()));
    await portal.getByRole('button', { name: 'Confirm' }).click();
    await portal.getByRole('heading', { level: 1, name: 'Your sign-in methods', exact: true }).waitFor();
    const session = await cookie(context, SESSION_COOKIE);
    assert.ok(session, 'the portal set its session cookie');

    // Tab 2: a Universal Prompt login (the next TOTP step: the portal's code is spent).
    world.clock.advance(30_000);
    const prompt = await context.newPage();
    await prompt.goto(world.authorizeUrl('maya'));
    await prompt.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    assert.ok(await cookie(context, PROMPT_COOKIE), 'the prompt keeps its flow in its own cookie');
    assert.equal(
      await cookie(context, SESSION_COOKIE),
      session,
      'starting the prompt leaves the portal alone',
    );
    await prompt.getByLabel('Passcode', { exact: true }).fill(totp.codeAt(world.clock.now()));
    await prompt.getByRole('button', { name: 'Verify' }).click();
    const { status, body } = await world.exchange(await callbackCode(prompt));
    assert.equal(status, 200, JSON.stringify(body));
    const claims = world.claims(String(body.id_token)) as { auth_result: { result: string } };
    assert.equal(claims.auth_result.result, 'allow');
    assert.equal(
      await cookie(context, SESSION_COOKIE),
      session,
      'finishing the prompt leaves the portal alone',
    );

    // Tab 1 again: reloaded, still signed in (no sign-in form, no step-up), and its API answers.
    await portal.bringToFront();
    await portal.reload();
    await portal.getByRole('heading', { level: 1, name: 'Your sign-in methods', exact: true }).waitFor();
    assert.equal(await portal.getByLabel('Password').count(), 0, 'no sign-in form');
    await portal.getByRole('button', { name: 'Recent sign-ins' }).click();
    const row = portal.getByRole('row').filter({ hasText: 'Example Web App' });
    await row.first().waitFor();
    // The server's words for how it ended (the reason's label), never a reason code.
    assert.match((await row.first().textContent()) ?? '', /Allowed: Passcode/);
    await context.close();
  });
});
