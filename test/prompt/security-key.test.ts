// The prompt in Chromium with a security key: a CTAP2 virtual authenticator registered through the portal signs
// in through the Universal Prompt; a bogus signature is shown as a failure and the transaction is denied.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { User } from '../../src/core/model.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { buildPortal, signIn, virtualAuthenticator } from '../portal/support.ts';
import { createTestUser } from '../support/server.ts';
import { assertAxeClean, callbackCode, callbackDenied, launchChromium } from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

const PASSWORD = 'key-holder-password-1';

describe('login prompt: security key', { skip: chromiumMissing() }, () => {
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

  const resultOf = async (code: string) => {
    const { status, body } = await world.exchange(code);
    assert.equal(status, 200, JSON.stringify(body));
    return world.claims(String(body.id_token)) as {
      auth_result: { result: string };
      auth_context: { factor: string };
    };
  };

  /** A user whose virtual key is registered through the portal's own page (the real ceremony). */
  async function userWithKey(name: string): Promise<{
    user: User;
    context: BrowserContext;
    page: Page;
    cdp: CDPSession;
    authenticatorId: string;
  }> {
    const user = await createTestUser(world.deps, name, { password: PASSWORD, email: `${name}@example.edu` });
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
    await signIn(page, world.url, name, PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Your sign-in methods', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Security key or passkey' }).click();
    await page.getByRole('button', { name: 'Register security key' }).click();
    await page.getByText('Your security key is added.').waitFor();
    const keys = (await world.deps.store.authenticators.listForUser(user.id)).filter(
      (a) => a.kind === 'webauthn',
    );
    assert.equal(keys.length, 1, 'the portal registered one security key');
    return { user, context, page, cdp, authenticatorId };
  }

  it('signs in with the registered security key: the prompt offers it first and the result is allow', async () => {
    const { user, context, page } = await userWithKey('kim');
    await page.goto(world.authorizeUrl('kim'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await page.getByRole('region', { name: 'Use a security key' }).waitFor();
    await assertAxeClean(page, 'the security key step');
    await page.getByRole('button', { name: 'Use security key' }).click();
    const claims = await resultOf(await callbackCode(page));
    assert.equal(claims.auth_result.result, 'allow');
    assert.equal(claims.auth_context.factor, 'webauthn_security_key');
    const [tx] = await world.deps.store.transactions.listRecentForUser(user.id, 0, 1);
    assert.equal(tx?.state, 'allow');
    assert.equal(tx?.reason, 'valid_webauthn');
    await context.close();
  });

  it('a bogus signature: the prompt shows a failure, the transaction is denied, nothing is allowed', async () => {
    const { user, context, page, cdp, authenticatorId } = await userWithKey('lee');
    await page.goto(world.authorizeUrl('lee'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: true });
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page
      .getByText('That security key could not be verified. Try again or choose another option.')
      .waitFor();
    assert.match(page.url(), /\/prompt\//, 'the browser stays on the prompt');

    const recent = await world.deps.store.transactions.listRecentForUser(user.id, 0, 10);
    const answered = recent.find((tx) => tx.factor === 'webauthn');
    assert.equal(answered?.state, 'deny');
    assert.equal(answered?.reason, 'invalid_webauthn');
    assert.ok(!recent.some((tx) => tx.state === 'allow'), 'no transaction of the user was allowed');
    assert.equal((await world.deps.store.users.findByName('lee'))?.failedAttempts, 1);

    // Giving up returns access_denied to the application, never a code.
    await page.getByRole('button', { name: 'Cancel and return to Example Web App' }).click();
    const url = await callbackDenied(page);
    assert.equal(url.searchParams.get('error_description'), 'The user cancelled the sign-in.');
    await context.close();
  });
});
