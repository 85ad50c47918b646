// Writes a screenshot of every console page into docs/screenshots/ (node scripts/screenshots-console.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { setUserStatus } from '../src/core/admin/create-user.ts';
import { openSqliteKysely } from '../src/store/sqlite.ts';
import { signInToConsole } from '../test/console/browser-support.ts';
import { createTestAdmin } from '../test/console/support.ts';
import { openPortalWorld } from '../test/portal/support.ts';
import { createTestApp, createTestUser } from '../test/support/server.ts';
import { seedRows } from './seed-admin.ts';

const outDir = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });

const world = await openPortalWorld();
const shot = async (page: Page, name: string) => {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(outDir, `console-${name}.png`), fullPage: true });
  console.log(`docs/screenshots/console-${name}.png`);
};
const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

try {
  const { deps } = world.server;
  const owner = await createTestAdmin(deps, 'olivia', 'owner');
  const desk = await createTestAdmin(deps, 'hana', 'help-desk');
  await createTestAdmin(deps, 'rui', 'read-only');
  // Enrollment required in 45 days: the rollout screen's usual state.
  const enforcementDate = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
  const { app, ikey } = await createTestApp(deps, { name: 'VPN', policy: { enforcementDate } });
  await createTestApp(deps, { name: 'Staff wiki' });
  const casey = await createTestUser(deps, 'casey', { realName: 'Casey Jones', email: 'casey@example.edu' });
  await setUserStatus(deps, 'screenshots', casey, 'locked_out');
  // Two weeks of sign-ins and a few dozen users, written by the bench's seeding into the server's own database.
  const db = openSqliteKysely(join(world.server.countersign.config.data_dir, 'countersign.db'));
  try {
    await seedRows(db, {
      users: 40,
      authlogs: 600,
      days: 14,
      now: Date.now(),
      applicationIds: [app.id],
    });
  } finally {
    await db.destroy();
  }

  const context = await world.browser.newContext({ viewport: { width: 1200, height: 850 } });
  const page = await context.newPage();
  await page.goto(`${world.url}/admin/`);
  await h1(page, 'Sign in to the Countersign console');
  await shot(page, '01-sign-in');
  await page.getByLabel('Username').fill('olivia');
  await page.getByLabel('Password').fill('correct horse 12');
  await page.keyboard.press('Enter');
  await h1(page, 'Confirm it’s you');
  await shot(page, '02-confirm');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await h1(page, 'Sign in to the Countersign console');
  await signInToConsole(page, world.url, world.server, owner);
  /** Each screen in the state worth seeing: the list opened, the file checked, the preview asked for. */
  const showState = async (page: Page, hash: string) => {
    if (hash === 'rollout') {
      await page
        .getByRole('region', { name: 'VPN' })
        .getByRole('button', { name: 'Who is not enrolled?' })
        .click();
      await page.getByRole('table', { name: 'Users not enrolled yet' }).waitFor();
    } else if (hash === 'tokens') {
      const seed = '3132333435363738393031323334353637383930';
      const csv = `serial,secret,type,digits,counter,step,algorithm\nHW-0001,${seed},totp,6,,30,sha1\nHW-0002,${seed},totp,7,,30,sha1\n`;
      await page
        .getByLabel('File')
        .setInputFiles({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Check the file' }).click();
      await page.getByRole('table', { name: 'Rows with a problem' }).waitFor();
    } else if (hash === 'logs') {
      // The first located address reads the GeoIP file (seconds): wait for the rows, not for a quiet network.
      await page.getByRole('link', { name: 'IP Geolocation by DB-IP' }).waitFor({ timeout: 60_000 });
    } else if (hash === 'applications') {
      await page.getByLabel('Username').fill('casey');
      await page.getByLabel('Integration key').fill(ikey);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page
        .getByRole('region', { name: 'What does a user get?' })
        .getByRole('listitem')
        .first()
        .waitFor();
    }
  };
  for (const [hash, heading, name] of [
    ['dashboard', 'Dashboard', '03-dashboard'],
    ['users', 'Users', '04-users'],
    ['applications', 'Applications', '06-applications'],
    ['rollout', 'Rollout', '07-rollout'],
    ['tokens', 'Token import', '08-token-import'],
    ['logs', 'Logs', '09-logs'],
    ['administrators', 'Administrators', '10-administrators'],
  ] as const) {
    await page.goto(`${world.url}/admin/#/${hash}`);
    await h1(page, heading);
    await showState(page, hash);
    await shot(page, name);
  }
  await page.goto(`${world.url}/admin/#/users/${casey.id}`);
  await h1(page, 'casey');
  await shot(page, '05-user');
  await context.close();

  const deskContext = await world.browser.newContext({
    viewport: { width: 1200, height: 850 },
    colorScheme: 'dark',
  });
  const deskPage = await deskContext.newPage();
  await signInToConsole(deskPage, world.url, world.server, desk);
  await deskPage.goto(`${world.url}/admin/#/users/${casey.id}`);
  await h1(deskPage, 'casey');
  await deskPage.getByRole('button', { name: 'Unlock' }).click();
  await deskPage.getByRole('button', { name: 'Issue codes' }).click();
  await deskPage.locator('ul.codes li').first().waitFor();
  await shot(deskPage, '11-help-desk-dark');
  await deskContext.close();
} finally {
  await world.close();
}
