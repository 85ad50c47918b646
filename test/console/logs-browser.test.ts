// The console's logs in Chromium: filters narrow the sign-ins the server returns, pages follow next_offset, and the
// CSV export holds every filtered row (built in the page), with formulas defused.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { seedRows } from '../../scripts/seed-admin.ts';
import { openSqliteKysely } from '../../src/store/sqlite.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { openPortalWorld, type PortalWorld } from '../portal/support.ts';
import { createTestApp } from '../support/server.ts';
import { signInToConsole } from './browser-support.ts';
import { createTestAdmin, type TestAdmin } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;
let owner: TestAdmin;
/** How many seeded sign-ins were denied (the seed's own mix). */
let denied = 0;

before(async () => {
  if (skip) return;
  world = await openPortalWorld();
  owner = await createTestAdmin(world.server.deps, 'olivia', 'owner');
  const { app } = await createTestApp(world.server.deps, { name: 'VPN' });
  // The page asks for the last 7 days by the browser's clock: the rows are written at the real time.
  const db = openSqliteKysely(join(world.server.countersign.config.data_dir, 'countersign.db'));
  try {
    await seedRows(db, {
      users: 20,
      authlogs: 250,
      days: 2,
      now: Date.now() - 1000,
      applicationIds: [app.id],
    });
    const rows = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'auth')
      .where('result', 'in', ['deny', 'timeout', 'locked_out'])
      .executeTakeFirstOrThrow();
    denied = Number(rows.n);
  } finally {
    await db.destroy();
  }
});
after(async () => {
  if (!skip) await world.close();
});

test('sign-ins: filter by result, page older and newer, export the filtered rows as CSV', {
  skip,
}, async () => {
  assert.ok(denied > 0 && denied < 100, `${denied} denied sign-ins seeded`);
  const context = await world.browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1200, height: 900 },
  });
  const page = await context.newPage();
  await signInToConsole(page, world.url, world.server, owner);
  await page.goto(`${world.url}/admin/#/logs`);
  await page.getByText('250 sign-in(s).').waitFor();
  const rows = page.locator('table.data tbody tr');
  assert.equal(await rows.count(), 100, 'one page of 100');
  await page.getByRole('button', { name: 'Older' }).click();
  await page.getByRole('button', { name: 'Newer' }).waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => !document.querySelector('button[disabled]')?.textContent?.includes('Newer'),
  );
  await page.getByRole('button', { name: 'Older' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.data tbody tr').length === 50);

  await page.getByLabel('Result').selectOption('denied');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText(`${denied} sign-in(s).`).waitFor();
  const results = await page.locator('table.data tbody tr td:nth-child(4)').allTextContents();
  assert.deepEqual([...new Set(results)], ['denied']);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Export CSV/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'sign-ins.csv');
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'time,username,application,result,reason,factor,ip,location');
  assert.equal(lines.length - 1, denied, 'every filtered row, not just the page shown');
  assert.ok(lines.slice(1).every((line) => line.split(',')[3] === 'denied'));
  await page
    .getByRole('status')
    .filter({ hasText: `Exported ${denied} sign-in(s).` })
    .waitFor();
  await context.close();
});
