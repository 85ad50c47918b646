// Regenerates docs/screenshots/: the Authenticator (a waiting verified push, passcodes, narrow and zoomed) and the
// activation page (install step, QR step, done). Run: node scripts/screenshots.ts (needs /usr/bin/chromium).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/core/clock.ts';
import { createActivation } from '../src/core/enrollment/create-activation.ts';
import { activationLink } from '../src/device-protocol/activation-link.ts';
import { authApiCaller } from '../test/browser/support/auth-api.ts';
import { buildWebApps, chromiumMissing, launchChromium } from '../test/browser/support/browser.ts';
import { createTestApp, createTestUser, startTestServer } from '../test/support/server.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const WAIT = { timeout: 15_000 };

const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
await mkdir(OUT, { recursive: true });
await buildWebApps();
// The made-up organization of every screenshot, with its logo in the header.
const server = await startTestServer({
  clock: systemClock,
  config: {
    organization: 'Example University',
    logo_file: fileURLToPath(new URL('./example-logo.svg', import.meta.url)),
  },
});
const browser = await launchChromium();
try {
  const { ikey, skey } = await createTestApp(server.deps, { name: 'Payroll' });
  const call = authApiCaller(server.url, ikey, skey);
  const user = await createTestUser(server.deps, 'alice', { realName: 'Alice Example' });
  const { code } = await createActivation(server.deps, 'screenshots', user);

  const computer = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const activate = await computer.newPage();
  await activate.goto(`${server.url}/activate/#code=${code}`);
  await activate.getByRole('button', { name: 'I have it installed' }).waitFor(WAIT);
  await activate.screenshot({ path: `${OUT}activate-1-install.png` });
  await activate.getByRole('button', { name: 'I have it installed' }).click();
  await activate.waitForFunction(`document.querySelector('img.qr')?.naturalWidth > 0`, undefined, WAIT);
  await activate.screenshot({ path: `${OUT}activate-2-scan.png` });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const app = await phone.newPage();
  await app.goto(activationLink(server.url, code));
  await app.locator('[data-account="alice"]').waitFor(WAIT);
  await activate.getByRole('heading', { name: 'Your phone is activated' }).waitFor(WAIT);
  await activate.screenshot({ path: `${OUT}activate-3-done.png` });
  await app.screenshot({ path: `${OUT}app-accounts.png` });

  const started = await call('POST', '/auth/v2/auth', {
    username: 'alice',
    factor: 'push',
    device: 'auto',
    async: '1',
    client_supports_verified_push: '1',
    ipaddr: '198.51.100.7',
    pushinfo: 'from=Payroll%20web&amount=1%20report',
  });
  await app.locator(`article[data-txid="${String(started.txid)}"]`).waitFor(WAIT);
  await app.screenshot({ path: `${OUT}app-request.png`, fullPage: true });
  await app.getByRole('button', { name: 'Deny' }).click();
  await app.screenshot({ path: `${OUT}app-report-fraud.png`, fullPage: true });

  // 640 px at 200 % zoom: 320 CSS pixels wide (WCAG 1.4.10 reflow), the page must still read and work.
  const narrow = await browser.newContext({ viewport: { width: 640, height: 900 } });
  const zoomed = await narrow.newPage();
  await zoomed.goto(`${server.url}/app/`);
  await zoomed.evaluate(`document.documentElement.style.zoom = '2'`);
  await zoomed.screenshot({ path: `${OUT}app-200pct-zoom.png`, fullPage: true });
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.close();
}
