// Every web page at 320 px and at 200 % zoom: no sideways scrolling (WCAG 1.4.10 reflow), and the primary controls
// are reached with Tab and then shown whole in the viewport (WCAG 2.1.1, 2.4.7): the prompt (method choice, push
// waiting, passcode), the portal (sign-in, home), the activation page and the Authenticator app.
//
// 200 % zoom is emulated as a 640 CSS px viewport at deviceScaleFactor 2. That is what Chromium's own zoom does to a
// 1280 px window: the layout viewport becomes 640 CSS px, media queries and `innerWidth` see 640, and the device
// pixel ratio doubles. A 1280 px viewport with deviceScaleFactor 2 only sharpens pixels (the layout stays 1280), and
// CDP `Emulation.setPageScaleFactor` is pinch-zoom: it magnifies the visual viewport without reflowing the layout,
// so every page would "scroll" sideways by design and the check would test nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { buildWebApps, chromiumMissing } from '../browser/support/browser.ts';
import { buildPortal, signIn } from '../portal/support.ts';
import { assertReflows, launchChromium } from '../prompt/browser.ts';
import { type PromptWorld, startPromptWorld } from '../prompt/harness.ts';
import { createTestUser } from '../support/server.ts';

const WAIT = { timeout: 15_000 };
const MODES = [
  { name: '320 px', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
  { name: '200 % zoom', viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 },
];

/** Asserts the element lies wholly inside the viewport (after keyboard focus has scrolled it into view). */
async function assertInView(page: Page, control: Locator, where: string): Promise<void> {
  const box = await control.boundingBox();
  const view = page.viewportSize();
  assert.ok(box && view, `${where} has no box`);
  const inside =
    box.x >= 0 &&
    box.x + box.width <= view.width + 0.5 &&
    box.y >= 0 &&
    box.y + box.height <= view.height + 0.5;
  assert.ok(inside, `${where} is not wholly in view: ${JSON.stringify({ box, view })}`);
}

/** Presses Tab (at most `limit` times) until `control` has focus, then checks it is in view. */
async function reach(page: Page, control: Locator, where: string, limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await control.evaluate((el) => el === el.ownerDocument.activeElement))
      return assertInView(page, control, where);
  }
  throw new Error(`${where}: ${limit} presses of Tab never reached the control`);
}

/** The page reflows, and every control is visible and reachable by keyboard. */
async function assertUsable(page: Page, where: string, controls: Record<string, Locator>): Promise<void> {
  await page.bringToFront();
  await assertReflows(page, where);
  for (const [name, control] of Object.entries(controls)) {
    await control
      .waitFor({ state: 'visible', ...WAIT })
      .catch(() => assert.fail(`${where}: ${name} is not visible`));
    await reach(page, control, `${where}: ${name}`);
  }
}

describe('every page at 320 px and at 200 % zoom', { skip: chromiumMissing() }, () => {
  let world: PromptWorld<Clock>;
  let browser: Browser;

  before(async () => {
    buildPortal();
    await buildWebApps();
    // The Authenticator signs with the browser's clock: the server runs on the real one.
    world = await startPromptWorld({ clock: systemClock });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const [index, mode] of MODES.entries()) {
    it(`${mode.name}: portal, activation, app, and the prompt's method, push and passcode steps`, async () => {
      const username = `reader${index}`;
      const user = await createTestUser(world.deps, username, { password: 'wide-enough-1' });
      const context = await browser.newContext({
        viewport: mode.viewport,
        deviceScaleFactor: mode.deviceScaleFactor,
        reducedMotion: 'reduce',
      });
      const at = (page: string) => `${page} at ${mode.name}`;

      // The portal: sign-in form, then home (no method yet, so no step-up).
      const portal = await context.newPage();
      await portal.goto(`${world.url}/portal/`);
      await portal.getByRole('heading', { level: 1, name: 'Manage your sign-in methods' }).waitFor(WAIT);
      await assertUsable(portal, at('portal sign-in'), {
        username: portal.getByLabel('Username'),
        password: portal.getByLabel('Password'),
        'sign in': portal.getByRole('button', { name: 'Sign in' }),
      });
      await signIn(portal, world.url, username, 'wide-enough-1');
      await portal.getByRole('heading', { level: 1, name: 'Your sign-in methods' }).waitFor(WAIT);
      await assertUsable(portal, at('portal home'), {
        'add the Authenticator': portal.getByRole('button', {
          name: 'Countersign Authenticator (push and codes)',
        }),
        'add a security key': portal.getByRole('button', { name: 'Security key or passkey' }),
        'sign out': portal.getByRole('button', { name: 'Sign out', exact: true }),
      });

      // The activation page: install step, then the QR code.
      const { code } = await createActivation(world.deps, 'test', user);
      const activate = await context.newPage();
      await activate.goto(`${world.url}/activate/#code=${code}`);
      const installed = activate.getByRole('button', { name: 'I have it installed' });
      await installed.waitFor(WAIT);
      await assertUsable(activate, at('activation: install'), { 'I have it installed': installed });
      await activate.keyboard.press('Enter');
      const qr = activate.locator('img.qr');
      await qr.waitFor(WAIT);
      // Resolves once the QR image is loaded and decoded (rejects on a broken image).
      await qr.evaluate((img) => (img as HTMLImageElement).decode());
      await assertReflows(activate, at('activation: QR code'));
      await qr.scrollIntoViewIfNeeded();
      await assertInView(activate, qr, at('activation: QR code'));

      // The Authenticator, activated from the link: the account with its passcode, and the add-account field.
      const app = await context.newPage();
      await app.goto(activationLink(world.url, code));
      await app.locator(`[data-account="${username}"] [data-passcode]`).waitFor(WAIT);
      await assertUsable(app, at('the Authenticator'), {
        'add account': app.locator('form.add-account input'),
      });
      await app.locator(`[data-account="${username}"]`).scrollIntoViewIfNeeded();
      await assertInView(app, app.locator(`[data-account="${username}"]`), at('the Authenticator account'));

      // The prompt: the method step with "Other options" open, then push waiting with the verified number.
      const prompt = await context.newPage();
      await prompt.goto(world.authorizeUrl(username));
      const send = prompt.getByRole('button', { name: 'Send request' });
      await send.waitFor(WAIT);
      await prompt.getByRole('button', { name: 'Other options' }).click();
      await assertUsable(prompt, at('prompt: methods'), {
        'send request': send,
        'other options': prompt.getByRole('button', { name: 'Other options' }),
        'enter a passcode': prompt.getByRole('button', { name: 'Enter a passcode' }),
        cancel: prompt.getByRole('button', { name: 'Cancel and return to Example Web App' }),
      });
      await reach(prompt, send, at('prompt: send request'));
      await prompt.keyboard.press('Enter');
      const number = prompt.locator('.verification-code');
      await number.waitFor(WAIT);
      await assertUsable(prompt, at('prompt: push waiting'), {
        'other options': prompt.getByRole('button', { name: 'Other options' }),
        cancel: prompt.getByRole('button', { name: 'Cancel and return to Example Web App' }),
      });
      await number.scrollIntoViewIfNeeded();
      await assertInView(prompt, number, at('prompt: the verified number'));

      // The Authenticator shows the request: the number field and the answers fit and are reached by Tab.
      const card = app.locator('article[data-txid]');
      await card.waitFor(WAIT);
      await assertUsable(app, at('the Authenticator request'), {
        number: card.getByLabel('Enter the number shown on your login screen'),
        approve: card.getByRole('button', { name: 'Approve' }),
        deny: card.getByRole('button', { name: 'Deny' }),
      });
      await card
        .getByLabel('Enter the number shown on your login screen')
        .fill(/([0-9]+)\s*$/.exec((await number.textContent()) ?? '')?.[1] ?? '');
      await card.getByRole('button', { name: 'Approve' }).click();
      await prompt.waitForURL(/\/test-front\/done\?/, WAIT);

      // The prompt's passcode step (a new login, "Other options" → "Enter a passcode").
      await prompt.goto(world.authorizeUrl(username));
      await prompt.getByRole('button', { name: 'Other options' }).click();
      await prompt.getByRole('button', { name: 'Enter a passcode' }).click();
      const passcode = prompt.getByLabel('Passcode', { exact: true });
      await passcode.waitFor(WAIT);
      await assertUsable(prompt, at('prompt: passcode'), {
        passcode,
        remember: prompt.getByLabel(/Remember me for/),
      });
      await reach(prompt, passcode, at('prompt: passcode'));
      await prompt.keyboard.type('123456');
      await reach(prompt, prompt.getByRole('button', { name: 'Verify' }), at('prompt: verify'));
      await context.close();
    });
  }
});
