// Chromium end to end: an OIDC sign-in through our sign-in page and the prompt with a push approved on the phone,
// then "remember me" and the SSO session carrying to a second application; the pages pass axe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { assertAxeClean, launchChromium } from '../prompt/browser.ts';
import { buildPromptPage } from '../prompt/harness.ts';
import { createTestUser } from '../support/server.ts';
import {
  type BackchannelInbox,
  backchannelInbox,
  type OidcWorld,
  relyingParty,
  startOidcWorld,
} from './harness.ts';

const missing = chromiumMissing();

describe('OIDC in Chromium', { skip: missing }, () => {
  let world: OidcWorld;
  let browser: Browser;
  let site: BackchannelInbox;
  before(async () => {
    buildPromptPage();
    world = await startOidcWorld();
    browser = await launchChromium();
    site = await backchannelInbox();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await world?.close();
  });

  it('signs in with a push; the remembered browser and the SSO session carry to a second application', async () => {
    const wiki = await relyingParty(world, {
      name: 'Wiki',
      redirectUri: `${site.base}/wiki/callback`,
      settings: { postLogoutRedirectUris: [`${site.base}/wiki/`], backchannelLogoutUri: site.url },
    });
    const crm = await relyingParty(world, { name: 'CRM', redirectUri: `${site.base}/crm/callback` });
    const user = await createTestUser(world.deps, 'pia', { password: 'correct horse battery' });
    const { code } = await createActivation(world.deps, 'test', user);
    const account = await activateDevice(activationLink(world.url, code), { name: 'Pia’s phone' });
    const phone = createDeviceClient(account);
    const page = await (await browser.newContext()).newPage();

    const first = await wiki.begin({ scope: 'openid profile' });
    await page.goto(first.url.href);
    await page.getByRole('heading', { name: 'Sign in to Wiki' }).waitFor();
    await assertAxeClean(page, 'the sign-in page');
    await page.getByLabel('Username').fill('pia');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Incorrect username or password.').waitFor();
    await assertAxeClean(page, 'the sign-in page after a failure');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    await page.getByLabel('Remember me for 12 hours on this browser').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    const shown =
      /([0-9]+)\s*$/.exec((await page.locator('.verification-code').textContent()) ?? '')?.[1] ?? '';
    const [pending] = await phone.pending();
    assert.ok(pending, 'the phone has the request');
    assert.equal(await phone.approve(pending.txid, shown), 'allow');
    await page.waitForURL(/\/wiki\/callback\?/);
    const wikiTokens = await wiki.finish(new URL(page.url()), first);
    assert.deepEqual(wikiTokens.claims()?.amr, ['mfa', 'pwd', 'swk']);

    // The second application: no password (SSO session), no push (remembered browser).
    const second = await crm.begin();
    await page.goto(second.url.href);
    await page.waitForURL(/\/crm\/callback\?/);
    const crmClaims = (await crm.finish(new URL(page.url()), second)).claims();
    assert.equal(crmClaims?.sub, user.id);
    assert.deepEqual(crmClaims?.amr, ['mfa', 'pwd', 'swk']);
    const cookies = await page.context().cookies();
    for (const name of ['__Host-cs-sso', '__Host-cs-remember']) {
      const cookie = cookies.find((c) => c.name === name);
      assert.ok(
        cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Lax',
        `${name} is HttpOnly, Secure, Lax`,
      );
    }

    // Signing out of the wiki asks first, then ends the SSO session; the CRM then asks for the password again.
    await page.goto(
      client
        .buildEndSessionUrl(wiki.config, {
          id_token_hint: String(wikiTokens.id_token),
          post_logout_redirect_uri: `${site.base}/wiki/`,
        })
        .toString(),
    );
    await page.getByRole('heading', { name: /Sign out of/ }).waitFor();
    await assertAxeClean(page, 'the logout question');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${site.base}/wiki/`);
    assert.equal(site.tokens.length, 1, 'the wiki was told over the back channel');
    await page.goto((await crm.begin()).url.href);
    await page.getByRole('heading', { name: 'Sign in to CRM' }).waitFor();
  });
});
