// Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a downloaded browser).
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { ensureWebBuilt } from '../../support/web-build.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or false when they can. */
export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium): browser tests skipped`;
}

/** Launches headless Chromium with a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The app and the activation page, built (see ensureWebBuilt). */
export async function buildWebApps(): Promise<void> {
  ensureWebBuilt();
}
