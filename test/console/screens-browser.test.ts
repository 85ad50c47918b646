// The console's data screens in Chromium against the real Admin API routes: token import (a bad row blocks the
// import; a large file goes in chunks to 100 %), assigning a token, the rollout with an enforcement date and its
// reminders in the outbox, a user's enrollment e-mail (help desk too), the dashboard's chart, the policy preview, a
// new application's keys shown once, a fraud report's review, and DB-IP's credit beside locations. axe-core finds
// no violation on any of these screens, light or dark.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { audit } from '../../src/core/audit.ts';
import type { User } from '../../src/core/model.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { axeViolations } from '../browser/support/page-tools.ts';
import { openPortalWorld, outbox, type PortalWorld } from '../portal/support.ts';
import { addTestTotp, createTestApp, createTestUser } from '../support/server.ts';
import { signInToConsole } from './browser-support.ts';
import { createTestAdmin, type TestAdmin } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;
let owner: TestAdmin;
let helpDesk: TestAdmin;
let vpn: { ikey: string };
let erin: User;
let frank: User;

const SEED = '3132333435363738393031323334353637383930';
/** Rows of the large file: three chunks of the console's 500. */
const LARGE = 1_100;

before(async () => {
  if (skip) return;
  world = await openPortalWorld();
  const deps = world.server.deps;
  owner = await createTestAdmin(deps, 'olivia', 'owner');
  helpDesk = await createTestAdmin(deps, 'hana', 'help-desk');
  // Not enrolled: erin and frank (with addresses) and gus (without); ada has an authenticator app.
  erin = await createTestUser(deps, 'erin', { realName: 'Erin Example', email: 'erin@example.edu' });
  frank = await createTestUser(deps, 'frank', { email: 'frank@example.edu' });
  await createTestUser(deps, 'gus');
  const ada = await createTestUser(deps, 'ada');
  await addTestTotp(deps, ada);
  vpn = await createTestApp(deps, { name: 'Campus VPN', policy: { enforcementDate: '2099-04-27' } });
  // Sign-ins for the dashboard, at the server's clock: today 3 allowed and 2 denied, and a fraud report yesterday.
  const now = world.server.clock.now();
  const signIn = (at: number, result: string, ip: string | null) =>
    audit(deps.store, at, {
      kind: 'auth',
      action: 'authentication',
      userId: ada.id,
      username: 'ada',
      result,
      ip,
      detail: { txid: `TX-${at}` },
    });
  for (const [ago, result, ip] of [
    [1_000, 'success', null],
    [2_000, 'success', null],
    [3_000, 'success', null],
    [4_000, 'deny', '10.0.0.1'],
    [5_000, 'deny', null],
    [86_400_000, 'fraud', null],
  ] as const) {
    await signIn(now - ago, result, ip);
  }
  // The logs page asks for the last days by the browser's clock: a sign-in from a public address at the real time.
  await signIn(Date.now() - 1_000, 'success', '8.8.8.8');
  await deps.store.alerts.append(
    {
      at: now - 86_400_000,
      kind: 'fraud',
      userId: ada.id,
      username: 'ada',
      application: 'Campus VPN',
      txid: 'TX-F',
      ip: null,
    },
    100,
  );
});
after(async () => {
  if (!skip) await world.close();
});

async function freshPage(admin: TestAdmin): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await signInToConsole(page, world.url, world.server, admin);
  return page;
}

async function noAxeViolations(page: Page, where: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    // No motion: cards fade their background for 0.15 s, and axe must not judge colours mid-fade.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe on ${where} (${scheme}): ${JSON.stringify(violations, null, 1)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
const notice = (page: Page, text: string | RegExp) =>
  page.getByRole('status').filter({ hasText: text }).waitFor();

/** A token CSV: a header and `rows` good rows, serials HW-00001…, with `bad` replacing some rows' lines. */
function tokenCsv(rows: number, bad: Record<number, string> = {}): string {
  const lines = ['serial,secret,type,digits,counter,step,algorithm'];
  for (let n = 1; n <= rows; n++) {
    lines.push(bad[n] ?? `HW-${String(n).padStart(5, '0')},${SEED},totp,6,,30,sha1`);
  }
  return `${lines.join('\n')}\n`;
}

const chooseFile = (page: Page, name: string, text: string) =>
  page.getByLabel('File').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

const hardwareTokens = async () => world.server.deps.store.authenticators.count({ hardware: true });

test('token import: a bad row is shown and blocks the import; the fixed large file goes in chunks to 100 %', {
  skip,
}, async () => {
  const page = await freshPage(owner);
  await page.goto(`${world.url}/admin/#/tokens`);
  await h1(page, 'Token import');
  // Line 702 of the file (row 701, in the second chunk) has 7 digits; line 1002 (third chunk) repeats line 2's serial.
  await chooseFile(
    page,
    'bad.csv',
    tokenCsv(LARGE, {
      701: `HW-00701,${SEED},totp,7,,30,sha1`,
      1001: `HW-00001,${SEED},totp,6,,30,sha1`,
    }),
  );
  await page.getByRole('button', { name: 'Check the file' }).click();
  await notice(page, `Checked ${LARGE} row(s): 2 have a problem.`);
  const problems = page.getByRole('table', { name: 'Rows with a problem' });
  const cells = await problems.getByRole('row').nth(1).getByRole('cell').allTextContents();
  assert.equal(cells[0], '702', 'the row is numbered as the line of the whole file');
  assert.match(cells[2] ?? '', /digits/i);
  const repeated = await problems.getByRole('row').nth(2).getByRole('cell').allTextContents();
  assert.deepEqual(repeated, ['1002', 'HW-00001', 'duplicate serial "HW-00001" (first used on line 2)']);
  assert.ok(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled());
  assert.equal(await hardwareTokens(), 0, 'nothing imported by the check');
  await noAxeViolations(page, 'token import with a bad row');

  await chooseFile(page, 'fixed.csv', tokenCsv(LARGE));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await notice(page, `Checked ${LARGE} row(s): all can be imported.`);
  assert.equal(await hardwareTokens(), 0);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await notice(page, `Imported ${LARGE} token(s).`);
  const progress = page.locator('#import-progress');
  assert.equal(await progress.getAttribute('max'), '3');
  assert.equal(await progress.getAttribute('value'), '3');
  await page.getByText('Progress: 3 of 3 part(s)').waitFor();
  assert.equal(await hardwareTokens(), LARGE);
  await page.context().close();
});

test('an imported token is assigned to a user from their page', { skip }, async () => {
  const page = await freshPage(owner);
  await page.goto(`${world.url}/admin/#/users/${frank.id}`);
  await h1(page, 'frank');
  await page.getByLabel('Serial number').fill('HW-09999');
  await page.getByRole('button', { name: 'Assign token' }).click();
  await page.getByText('No imported token of that kind has serial HW-09999').waitFor();
  await page.getByLabel('Serial number').fill('HW-00042');
  await page.getByLabel('Kind').selectOption('t6');
  await page.getByRole('button', { name: 'Assign token' }).click();
  await notice(page, 'Token HW-00042 assigned.');
  await page.getByText('Hardware token HW-00042 (t6)').waitFor();
  const [token] = await world.server.deps.store.authenticators.list(
    { hardware: true, serial: 'HW-00042' },
    { limit: 1, offset: 0 },
  );
  assert.equal(token?.userId, frank.id);
  await noAxeViolations(page, 'user detail with a token');
  // Someone else's token is refused in words, before any change.
  await page.goto(`${world.url}/admin/#/users/${erin.id}`);
  await h1(page, 'erin');
  await page.getByLabel('Serial number').fill('HW-00042');
  await page.getByRole('button', { name: 'Assign token' }).click();
  await page.getByText('Token HW-00042 already belongs to frank.').waitFor();
  await page.context().close();
});

test('rollout: the enforcement date, the counts, who is not enrolled, and reminders in the outbox', {
  skip,
}, async () => {
  const page = await freshPage(owner);
  await page.goto(`${world.url}/admin/#/rollout`);
  await h1(page, 'Rollout');
  const card = page.getByRole('region', { name: 'Campus VPN' });
  await card.getByText(/^Required from 2099-04-27 \(in [0-9,]+ days\)$/).waitFor();
  // Everyone who signs in: olivia, hana, erin, frank, gus, ada; enrolled: olivia, hana, ada, frank (his token).
  await card.getByText('4 of 6 users enrolled (67%)').waitFor();
  await card.getByRole('button', { name: 'Who is not enrolled?' }).click();
  const people = card.getByRole('table', { name: 'Users not enrolled yet' });
  await people.waitFor();
  const names = await people.locator('tbody tr td:first-child').allTextContents();
  assert.deepEqual(names, ['erin', 'gus']);
  await noAxeViolations(page, 'rollout with the not-enrolled list');
  const before = outbox(world.server).length;
  await card.getByRole('button', { name: 'Send an enrollment reminder to all of them' }).click();
  await notice(page, 'Sent 1 reminder(s). 1 user(s) have no e-mail address.');
  const mails = outbox(world.server).slice(before);
  assert.deepEqual(
    mails.map((mail) => mail.to),
    ['erin@example.edu'],
  );
  assert.match(mails[0]!.subject, /reminder to set up two-step sign-in/);
  assert.match(mails[0]!.text, new RegExp(`${world.url}/app/#activate=`));
  await page.context().close();
});

test("a user's enrollment e-mail, sent by an administrator and by the help desk", { skip }, async () => {
  for (const admin of [owner, helpDesk]) {
    const page = await freshPage(admin);
    await page.goto(`${world.url}/admin/#/users/${erin.id}`);
    await h1(page, 'erin');
    const before = outbox(world.server).length;
    await page.getByRole('button', { name: 'Send enrollment e-mail' }).click();
    await notice(page, 'Enrollment e-mail sent to erin@example.edu.');
    const mails = outbox(world.server).slice(before);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'erin@example.edu');
    assert.match(mails[0]!.text, /Hello Erin Example/);
    const log = await world.server.deps.store.audit.tail({ limit: 20 });
    assert.ok(
      log.some(
        (entry) => entry.action === 'enrollment.email' && entry.actor === `console:${admin.user.username}`,
      ),
    );
    if (admin === helpDesk) await noAxeViolations(page, 'help desk user detail');
    await page.context().close();
  }
});

test('dashboard: the chart counts the seeded sign-ins by result', { skip }, async () => {
  const page = await freshPage(owner);
  await h1(page, 'Dashboard');
  const chart = page.getByRole('img', { name: 'Sign-ins per day by result' });
  await chart.waitFor();
  // Allowed: the 3 seeded and every console sign-in of these tests (each is a sign-in too).
  const words = /^14 days: ([0-9]+) allowed, 2 denied, 1 reported as fraud\.$/.exec(
    (await chart.locator('desc').textContent()) ?? '',
  );
  assert.ok(words && Number(words[1]) >= 3, `the chart's summary: ${words?.[0]}`);
  assert.equal(await chart.locator('rect.bar-fraud').count(), 1);
  assert.equal(await chart.locator('rect.bar-deny').count(), 1);
  await page.getByText('Show the numbers as a table').click();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const now = world.server.clock.now();
  const today = await page
    .getByRole('row', { name: day(now) })
    .getByRole('cell')
    .allTextContents();
  assert.equal(today[0], words![1]);
  assert.equal(today[1], '2');
  const yesterday = page.getByRole('row', { name: day(now - 86_400_000) }).getByRole('cell');
  assert.deepEqual(await yesterday.allTextContents(), ['0', '0', '1']);
  assert.equal(
    await page
      .getByRole('region', { name: 'Fraud reports awaiting review' })
      .locator('.figure')
      .textContent(),
    '1',
  );
  await noAxeViolations(page, 'dashboard with sign-ins');
  await page.context().close();
});

test('applications: a new one shows its keys once; the policy preview explains what a user gets', {
  skip,
}, async () => {
  const page = await freshPage(owner);
  await page.goto(`${world.url}/admin/#/applications`);
  await h1(page, 'Applications');
  await page.getByLabel('Name', { exact: true }).fill('Payroll');
  await page.getByLabel('Kind').selectOption('auth-api');
  await page.getByRole('button', { name: 'Add application' }).click();
  const keys = page.getByRole('heading', { name: 'Keys of Payroll' });
  await keys.waitFor();
  const codes = await page.locator('.once code').allTextContents();
  const app = await world.server.deps.store.applications.findByName('Payroll');
  assert.ok(app, 'the application exists');
  assert.equal(codes[0], app.ikey);
  assert.match(codes[1] ?? '', /^[A-Za-z0-9]{40}$/);
  await page.getByRole('cell', { name: 'Payroll', exact: true }).waitFor();
  await noAxeViolations(page, 'applications with new keys');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await keys.waitFor({ state: 'detached' });
  assert.equal(await page.getByText(codes[1]!).count(), 0, 'the secret is gone from the page');

  await page.getByLabel('Username').fill('erin');
  await page.getByLabel('Integration key').fill(vpn.ikey);
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'What does a user get?' });
  await preview.getByText('2099-04-27').first().waitFor();
  assert.match((await preview.textContent()) ?? '', /Application Campus VPN: [^\n]*enforcementDate/);
  await noAxeViolations(page, 'applications with a policy preview');
  await page.context().close();
});

test('logs: a fraud report is marked reviewed; a located sign-in credits DB-IP', { skip }, async () => {
  const page = await freshPage(owner);
  await page.goto(`${world.url}/admin/#/logs`);
  await h1(page, 'Logs');
  await page.getByRole('cell', { name: 'Mountain View, California, United States' }).waitFor();
  const credit = page.getByRole('link', { name: 'IP Geolocation by DB-IP' });
  assert.equal(await credit.getAttribute('href'), 'https://db-ip.com');
  await noAxeViolations(page, 'logs with locations');
  await page.getByRole('button', { name: 'Fraud reports' }).click();
  const report = page.getByRole('row', { name: /Campus VPN/ });
  await report.getByRole('cell', { name: 'Awaiting review' }).waitFor();
  await report.getByRole('button', { name: 'Mark reviewed' }).click();
  await report.getByRole('cell', { name: 'Reviewed', exact: true }).waitFor();
  assert.equal(await report.getByRole('button', { name: 'Mark reviewed' }).count(), 0);
  const [stored] = await world.server.deps.store.alerts.listReports(10);
  assert.equal(stored?.status, 'reviewed');
  await noAxeViolations(page, 'fraud reports');
  await page.context().close();
});
