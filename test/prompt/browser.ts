// Chromium (Debian's) for the prompt tests, plus axe-core and keyboard helpers.

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchChromium } from '../browser/support/browser.ts';
import { axeViolations } from '../browser/support/page-tools.ts';

export { launchChromium };

/** Asserts axe-core finds no violation (evaluated over CDP: the page's CSP stays on). */
export async function assertAxeClean(page: Page, where: string): Promise<void> {
  const violations = (await axeViolations(page)).map((v) => `${v.id}: ${v.help} @ ${v.nodes.join(', ')}`);
  assert.deepEqual(violations, [], `axe violations on ${where}`);
}

/** Asserts the page fits a 320 px wide viewport without horizontal scrolling (WCAG 1.4.10 reflow). */
export async function assertReflows(page: Page, where: string): Promise<void> {
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  const viewport = page.viewportSize()?.width ?? 0;
  assert.ok(width <= viewport, `${where} scrolls sideways: ${width} > ${viewport}`);
}

/** Presses Tab until the focused element matches `selector`. */
export async function tabTo(page: Page, selector: string, limit = 25): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The `duo_code` of the callback URL the prompt sent the browser to. */
export async function callbackCode(page: Page): Promise<string> {
  await page.waitForURL(/\/test-front\/done\?/);
  const code = new URL(page.url()).searchParams.get('duo_code');
  assert.ok(code, `callback carries duo_code: ${page.url()}`);
  return code;
}

/** Asserts the prompt sent the browser back with error=access_denied, the state and no code; returns the URL. */
export async function callbackDenied(page: Page): Promise<URL> {
  await page.waitForURL(/\/test-front\/done\?/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('error'), 'access_denied', url.href);
  assert.ok(url.searchParams.get('state'), 'the state comes back');
  assert.equal(url.searchParams.get('duo_code'), null, 'no duo_code');
  assert.equal(url.searchParams.get('code'), null, 'no code');
  return url;
}
